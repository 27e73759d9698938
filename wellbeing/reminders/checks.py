"""The last look before a planned message goes: the planner's rule (expected.py) asked
again for this one person, so a reminder whose survey was answered, a nudge for a module
opened, or mail to someone who left since it was planned is cancelled, not sent."""
from sqlalchemy import select

from ..cohorts.models import ACTIVE, Enrollment
from ..core.timeutil import now_utc
from ..course.models import ModuleOpened
from ..extensions import db
from ..notifications import delivery
from ..surveys.models import SurveyCompletion
from .expected import cohort_moments, planned_for
from .kinds import PLANNED_KINDS
from .models import MailPreference


def reason_not_to_send(message) -> str | None:
    enrollment = db.session.get(Enrollment, message.enrollment_id) \
        if message.enrollment_id else None
    if enrollment is None or enrollment.status != ACTIVE:
        return "the person is no longer in the course"
    user = enrollment.user
    if not user.is_active_account:
        return "the account is deactivated"
    cohort = enrollment.cohort
    opened = set(db.session.scalars(select(ModuleOpened.week)
                                    .filter_by(enrollment_id=enrollment.id)))
    done = set(db.session.scalars(select(SurveyCompletion.wave)
                                  .filter_by(enrollment_id=enrollment.id)))
    still = planned_for(cohort, cohort_moments(cohort), enrollment.id,
                        tz_name=user.display_timezone,
                        preference=db.session.get(MailPreference, user.id),
                        opened_weeks=opened, done_waves=done, now=now_utc())
    if message.dedupe_key not in still:
        return "no longer applies (done, switched off, or the schedule changed)"
    return None


def register() -> None:
    delivery.register_check(PLANNED_KINDS, reason_not_to_send)
