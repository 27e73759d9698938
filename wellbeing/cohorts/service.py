"""Cohort lifecycle: create, change (and reschedule), publish, archive. No request objects;
callers commit. Every change records an audit event in the same transaction."""
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..audit.service import record
from ..auth.models import FACILITATOR, User
from ..core.timeutil import to_local
from ..core.words import counted
from ..extensions import db
from ..notifications.pending import shift_pending
from ..orgs.models import Organization
from . import hooks, schedule
from .invitations import invite_many, tell_moved
from .models import INVITED, WITHDRAWN, Cohort, Enrollment
from .settings import FIELDS, CohortSettings


@dataclass
class Change:
    """What an edit did, in words HR can read back."""
    changed: list[str] = field(default_factory=list)
    closing_weeks: list[int] = field(default_factory=list)
    # Whether unsent emails follow the new dates. Never how many: nudges and survey
    # reminders are planned only for people who are behind, so the count would say how
    # many are (and, changed before and after one withdrawal, whether that person was).
    rescheduled: bool = False


def org_facilitators(org_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.org_id == org_id, User.role == FACILITATOR, User.is_active_account.is_(True),
        User.accepted_at.is_not(None)  # invited in the app: offered once they accept
    ).order_by(User.name)))


def seats_taken(cohort) -> int:
    return db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.cohort_id == cohort.id, Enrollment.status != WITHDRAWN)) or 0


def _facilitators(org_id: int, ids) -> list[User]:
    allowed = {u.id: u for u in org_facilitators(org_id)}
    return [allowed[i] for i in ids if i in allowed]


def create_cohort(org, actor, data: CohortSettings, *, draft: bool, facilitator_ids=(),
                  now: dt.datetime) -> Cohort:
    cohort = Cohort(org_id=org.id, published_at=now,
                    **{key: getattr(data, key) for key in FIELDS})
    cohort.facilitators = _facilitators(org.id, facilitator_ids)
    db.session.add(cohort)
    db.session.flush()
    if draft:  # after the INSERT: the column default would replace a None given to it
        cohort.published_at = None
        db.session.flush()
    record(org.id, actor.id, "cohort.created", cohort,
           f"Created cohort “{cohort.name}” starting {cohort.start_date:%d %b %Y}"
           + (" as a draft" if draft else ""))
    return cohort


def preview_change(cohort, data: CohortSettings, now: dt.datetime) -> list[int]:
    """The weeks that are open now and would close if `data` were saved."""
    old = schedule.openings(cohort)
    new = schedule.openings_for(data.start_date, data.release_time, data.timezone, data.weeks)
    return schedule.weeks_that_would_close(old, new, now)


def update_cohort(cohort, actor, data: CohortSettings, facilitator_ids,
                  now: dt.datetime) -> Change:
    change = Change(closing_weeks=preview_change(cohort, data, now))
    old = schedule.openings(cohort)
    for key in FIELDS:
        if getattr(cohort, key) != getattr(data, key):
            change.changed.append("time zone" if key == "timezone" else key.replace("_", " "))
            setattr(cohort, key, getattr(data, key))
    facilitators = _facilitators(cohort.org_id, facilitator_ids)
    if {u.id for u in facilitators} != {u.id for u in cohort.facilitators}:
        cohort.facilitators = facilitators
        change.changed.append("facilitators")
    new = schedule.openings(cohort)
    if new != old:
        enrollment_ids = db.session.scalars(select(Enrollment.id).where(
            Enrollment.cohort_id == cohort.id, Enrollment.status != WITHDRAWN)).all()
        shift_pending(enrollment_ids, old, new, now)
        change.rescheduled = True
        hooks.schedule_changed(cohort, now)
    if change.changed:
        summary = f"Changed {', '.join(change.changed)} of cohort “{cohort.name}”"
        if new != old:
            opens = to_local(new[0], cohort.timezone)
            summary += (f"; week 1 now opens {opens:%Y-%m-%d %H:%M} {cohort.timezone}; "
                        "unsent emails follow the new dates")
        if change.closing_weeks:
            summary += f"; closed again: weeks {', '.join(map(str, change.closing_weeks))}"
        record(cohort.org_id, actor.id, "cohort.updated", cohort, summary)
    return change


def publish(cohort, actor, now: dt.datetime) -> int:
    """A draft goes live: invitations go to everyone already enrolled, and people HR
    moved in (invited to another cohort first) are told their course has changed."""
    cohort.published_at = now
    rows = db.session.execute(
        select(Enrollment, User.name, User.email)
        .join(User, User.id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status != WITHDRAWN)
    ).all()
    invited = set(invite_many(cohort, cohort_org(cohort), [
        (enrollment.id, {"id": enrollment.user_id, "name": name, "email": email})
        for enrollment, name, email in rows if enrollment.status == INVITED]))
    # Everyone else here was moved in by HR after an invitation to another cohort.
    sent = len(invited)
    for enrollment, _, _ in rows:
        if enrollment.id not in invited:
            sent += tell_moved(enrollment, cohort, f"{cohort.id}:published")
    record(cohort.org_id, actor.id, "cohort.published", cohort,
           f"Published cohort “{cohort.name}”; {counted(sent, 'invitation', 'invitations')} "
           "queued")
    return sent


def archive(cohort, actor, now: dt.datetime) -> None:
    cohort.archived_at = now
    record(cohort.org_id, actor.id, "cohort.archived", cohort, f"Archived cohort “{cohort.name}”")


def unarchive(cohort, actor) -> None:
    cohort.archived_at = None
    record(cohort.org_id, actor.id, "cohort.unarchived", cohort,
           f"Restored cohort “{cohort.name}” from the archive")


def cohort_org(cohort):
    return db.session.get(Organization, cohort.org_id)
