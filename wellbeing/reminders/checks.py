"""The last look before planned messages go: the planner's rule (expected.py) asked
again for each person, so a reminder whose survey was answered, a nudge for a module
opened, or mail to someone who left since it was planned is cancelled, not sent. A whole
batch is checked with a handful of queries."""
from sqlalchemy import func, select

from ..auth.models import User
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..core.bulk import chunks
from ..core.timeutil import now_utc
from ..course.models import ModuleOpened
from ..extensions import db
from ..notifications import delivery
from ..orgs.models import Organization
from ..surveys.models import SurveyCompletion
from .expected import cohort_moments, planned_for
from .kinds import PLANNED_KINDS
from .models import MailPreference

LEFT = "the person is no longer in the course"
GONE = "no longer applies (done, switched off, or the schedule changed)"


def reasons_not_to_send(messages) -> dict[int, str]:
    now = now_utc()
    ids = {m.enrollment_id for m in messages if m.enrollment_id}
    people, opened, done = {}, {}, {}
    for batch in chunks(ids):
        # One row per enrollment with what the rule reads about the person (plain
        # columns, not three ORM objects each: this runs for every batch a worker sends).
        for row in db.session.execute(
                select(Enrollment.id, Enrollment.status, Enrollment.cohort_id,
                       User.is_active_account,
                       func.coalesce(User.timezone, Organization.timezone).label("tz"),
                       MailPreference.user_id.label("has_preference"),
                       *_PREFERENCE_COLUMNS)
                .join(User, User.id == Enrollment.user_id)
                .join(Organization, Organization.id == User.org_id)
                .outerjoin(MailPreference, MailPreference.user_id == User.id)
                .where(Enrollment.id.in_(batch))):
            people[row.id] = row
        for enrollment_id, week in db.session.execute(
                select(ModuleOpened.enrollment_id, ModuleOpened.week)
                .where(ModuleOpened.enrollment_id.in_(batch))):
            opened.setdefault(enrollment_id, set()).add(week)
        for enrollment_id, wave in db.session.execute(
                select(SurveyCompletion.enrollment_id, SurveyCompletion.wave)
                .where(SurveyCompletion.enrollment_id.in_(batch))):
            done.setdefault(enrollment_id, set()).add(wave)
    cohorts = {c.id: c for c in db.session.scalars(select(Cohort).where(
        Cohort.id.in_({row.cohort_id for row in people.values()})))}
    moments: dict[int, list] = {}
    reasons = {}
    for message in messages:
        person = people.get(message.enrollment_id)
        if person is None or person.status != ACTIVE or not person.is_active_account:
            reasons[message.id] = LEFT
            continue
        cohort = cohorts[person.cohort_id]
        if cohort.id not in moments:
            moments[cohort.id] = cohort_moments(cohort)
        mine = [m for m in moments[cohort.id] if m.kind == message.kind
                and m.week == message.week and m.wave == message.wave]
        still = planned_for(cohort, mine, person.id, tz_name=person.tz,
                            preference=person if person.has_preference else None,
                            opened_weeks=opened.get(person.id, set()),
                            done_waves=done.get(person.id, set()), now=now)
        if message.dedupe_key not in still:
            reasons[message.id] = GONE
    return reasons


_PREFERENCE_COLUMNS = [getattr(MailPreference, name) for name in (
    "week_opened", "nudges", "survey_reminders", "quiet_start", "quiet_end")]


def register() -> None:
    delivery.register_check(PLANNED_KINDS, reasons_not_to_send)
