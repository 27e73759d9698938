"""The download's built-in sections: profile, enrollments, progress, surveys."""
from sqlalchemy import select

from ..cohorts.models import Enrollment
from ..course.models import ModuleProgress
from ..extensions import db
from .service import register_exporter


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


@register_exporter("module_progress")
def module_progress(user):
    rows = db.session.execute(
        select(Enrollment.cohort_id, ModuleProgress.week, ModuleProgress.completed_on)
        .join(Enrollment, Enrollment.id == ModuleProgress.enrollment_id)
        .where(Enrollment.user_id == user.id).order_by(ModuleProgress.week))
    return [{"cohort_id": c, "week": w, "completed_on": d} for c, w, d in rows]


@register_exporter("survey_completions")
def survey_completions(user):
    from ..surveys.models import SurveyCompletion
    rows = db.session.execute(
        select(Enrollment.cohort_id, SurveyCompletion.wave, SurveyCompletion.completed_on)
        .join(Enrollment, Enrollment.id == SurveyCompletion.enrollment_id)
        .where(Enrollment.user_id == user.id))
    return [{"cohort_id": c, "wave": w, "completed_on": d} for c, w, d in rows]


@register_exporter("survey_answers")
def survey_answers(user):
    """Found through the pairing key, which only the signed-in person's ids can rebuild."""
    from ..surveys.service import own_responses
    found = []
    for enrollment in _enrollments(user):
        for wave, by_instrument in own_responses(enrollment).items():
            for code, row in by_instrument.items():
                found.append({"cohort": enrollment.cohort.name, "wave": wave,
                              "instrument": code, "week": row.submitted_week,
                              "answers": row.answers, "scores": row.scores})
    return found
