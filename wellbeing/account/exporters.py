"""The download's built-in sections: profile, enrollments, progress, surveys, practice
log, journal and emails: everything held about the person."""
from sqlalchemy import select

from ..cohorts.models import Enrollment
from ..core.personal_data import register_exporter
from ..course.journal import decrypt, entries_of
from ..course.models import ModuleOpened, ModuleProgress, PracticeLog
from ..extensions import db
from ..notifications.models import OutboxMessage
from ..surveys.models import WAVES, SurveyCompletion
from ..surveys.service import own_responses


def _enrollments(user) -> list[Enrollment]:
    return list(db.session.scalars(select(Enrollment).filter_by(user_id=user.id)
                                   .order_by(Enrollment.id)))


@register_exporter("profile")
def profile(user):
    return {"name": user.name, "email": user.email, "role": user.role,
            "organisation": user.org.name, "department": user.department,
            "locale": user.locale, "timezone": user.timezone, "created_at": user.created_at}


@register_exporter("enrollments")
def enrollments(user):
    return [{"cohort": e.cohort.name, "cohort_start_date": e.cohort.start_date,
             "status": e.status, "invited_at": e.invited_at, "joined_at": e.joined_at,
             "withdrawn_at": e.withdrawn_at} for e in _enrollments(user)]


def _per_enrollment(user, model, *columns, order_by=()) -> list[dict]:
    """`columns` of the person's rows of `model` (which hangs on an enrollment), each with
    its cohort id, keyed by column name."""
    rows = db.session.execute(
        select(Enrollment.cohort_id, *columns)
        .join(Enrollment, Enrollment.id == model.enrollment_id)
        .where(Enrollment.user_id == user.id).order_by(*order_by))
    return [dict(row._mapping) for row in rows]


@register_exporter("module_progress")
def module_progress(user):
    return _per_enrollment(user, ModuleProgress, ModuleProgress.week,
                           ModuleProgress.completed_on, order_by=[ModuleProgress.week])


@register_exporter("survey_completions")
def survey_completions(user):
    """Which waves they completed; no date, because none is kept (docs/privacy.md)."""
    return _per_enrollment(user, SurveyCompletion, SurveyCompletion.wave,
                           order_by=[SurveyCompletion.id])


@register_exporter("survey_answers")
def survey_answers(user):
    """Found through the pairing key, which only the signed-in person's ids can rebuild
    (answers of an open wave are opened from their seal)."""
    found = []
    for enrollment in _enrollments(user):
        mine = own_responses(enrollment)
        for wave in [w for w in WAVES if w in mine]:
            for code, row in sorted(mine[wave].items()):
                found.append({"cohort": enrollment.cohort.name, "wave": wave,
                              "instrument": code, "answers": row.answers,
                              "scores": row.scores})
    return found


@register_exporter("modules_opened")
def modules_opened(user):
    return _per_enrollment(user, ModuleOpened, ModuleOpened.week, ModuleOpened.opened_on,
                           order_by=[ModuleOpened.week])


@register_exporter("practice_log")
def practice_log(user):
    return _per_enrollment(user, PracticeLog, PracticeLog.day, PracticeLog.practice,
                           PracticeLog.minutes, PracticeLog.note,
                           order_by=[PracticeLog.day, PracticeLog.id])


@register_exporter("practices_opened")
def practices_opened(user):
    """The practices they opened and which they keep as favourites (My practices)."""
    from ..course.models import PracticeMark
    return _per_enrollment(user, PracticeMark, PracticeMark.slug,
                           PracticeMark.first_opened_on, PracticeMark.favourite,
                           order_by=[PracticeMark.first_opened_on, PracticeMark.id])


@register_exporter("journal")
def journal(user):
    """Decrypted for their author, the only person who can ever ask for it."""
    return [{"written_on": e.written_on, "week": e.week, "text": decrypt(e.body_encrypted)}
            for e in entries_of(user)]


@register_exporter("emails")
def emails(user):
    """What we sent or will send them (without bodies: those hold sign-in links)."""
    rows = db.session.scalars(select(OutboxMessage).filter_by(user_id=user.id)
                              .order_by(OutboxMessage.id))
    return [{"kind": m.kind, "to": m.to_email, "subject": m.subject, "status": m.status,
             "due_at": m.due_at, "sent_at": m.sent_at} for m in rows]
