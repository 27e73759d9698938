"""The last look before planned messages go: the planner's rule (expected.py) asked
again for each person, so a reminder whose survey was answered, a nudge for a module
opened, or mail to someone who left since it was planned is cancelled, not sent. A whole
batch is checked with a handful of queries."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..cohorts.models import ACTIVE, Enrollment
from ..core.bulk import chunks
from ..core.timeutil import now_utc
from ..course.models import ModuleOpened
from ..extensions import db
from ..notifications import delivery
from ..surveys.models import SurveyCompletion
from .expected import cohort_moments, planned_for
from .kinds import PLANNED_KINDS
from .models import MailPreference

LEFT = "the person is no longer in the course"
GONE = "no longer applies (done, switched off, or the schedule changed)"


def reasons_not_to_send(messages) -> dict[int, str]:
    now = now_utc()
    ids = {m.enrollment_id for m in messages if m.enrollment_id}
    enrollments, opened, done, preferences = {}, {}, {}, {}
    for batch in chunks(ids):
        enrollments.update({e.id: e for e in db.session.scalars(
            select(Enrollment).options(joinedload(Enrollment.user), joinedload(Enrollment.cohort))
            .where(Enrollment.id.in_(batch)))})
        for enrollment_id, week in db.session.execute(
                select(ModuleOpened.enrollment_id, ModuleOpened.week)
                .where(ModuleOpened.enrollment_id.in_(batch))):
            opened.setdefault(enrollment_id, set()).add(week)
        for enrollment_id, wave in db.session.execute(
                select(SurveyCompletion.enrollment_id, SurveyCompletion.wave)
                .where(SurveyCompletion.enrollment_id.in_(batch))):
            done.setdefault(enrollment_id, set()).add(wave)
    user_ids = {e.user_id for e in enrollments.values()}
    for batch in chunks(user_ids):
        preferences.update({p.user_id: p for p in db.session.scalars(
            select(MailPreference).where(MailPreference.user_id.in_(batch)))})
    moments: dict[int, list] = {}
    reasons = {}
    for message in messages:
        enrollment = enrollments.get(message.enrollment_id)
        if enrollment is None or enrollment.status != ACTIVE \
                or not enrollment.user.is_active_account:
            reasons[message.id] = LEFT
            continue
        cohort = enrollment.cohort
        if cohort.id not in moments:
            moments[cohort.id] = cohort_moments(cohort)
        mine = [m for m in moments[cohort.id] if m.kind == message.kind
                and m.week == message.week and m.wave == message.wave]
        still = planned_for(cohort, mine, enrollment.id,
                            tz_name=enrollment.user.display_timezone,
                            preference=preferences.get(enrollment.user_id),
                            opened_weeks=opened.get(enrollment.id, set()),
                            done_waves=done.get(enrollment.id, set()), now=now)
        if message.dedupe_key not in still:
            reasons[message.id] = GONE
    return reasons


def register() -> None:
    delivery.register_check(PLANNED_KINDS, reasons_not_to_send)
