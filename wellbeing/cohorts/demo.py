"""Demo data for the cohort pages: a draft cohort HR is still preparing, and an audit
trail for what the demo set-up did, so the audit log has something to show."""
import datetime as dt

from sqlalchemy import select

from ..audit.service import record
from ..auth.models import ADMIN, FACILITATOR, User
from ..core.timeutil import now_utc
from ..extensions import db
from .models import ACTIVE, WITHDRAWN, Cohort, Enrollment


def _on_day(event, when: dt.datetime | None) -> None:
    """Date an event about one person on the day it happened in the demo's history (the
    day only, as record() keeps it), so the log agrees with the roster's dates."""
    if when is not None:
        event.created_at = dt.datetime.combine(when.date(), dt.time(), tzinfo=dt.UTC)


def add_demo_data(org) -> None:
    admin = db.session.scalar(select(User).filter_by(org_id=org.id, role=ADMIN))
    actor = admin.id if admin else None
    for cohort in db.session.scalars(select(Cohort).filter_by(org_id=org.id)):
        enrollments = list(db.session.scalars(select(Enrollment).filter_by(
            cohort_id=cohort.id).order_by(Enrollment.id)))
        invited = [e.invited_at for e in enrollments if e.invited_at is not None]
        # HR set the cohort up and imported its people an hour before the invitations.
        set_up = min(invited) - dt.timedelta(hours=1) if invited else now_utc()
        created = record(org.id, actor, "cohort.created", cohort,
                         f"Created cohort “{cohort.name}” starting {cohort.start_date:%d %b %Y}")
        imported = record(org.id, actor, "enrollment.imported", cohort,
                          f"Imported {len(enrollments)} people from demo.csv into "
                          f"“{cohort.name}”")
        created.created_at, imported.created_at = set_up, set_up + dt.timedelta(minutes=5)
        for enrollment in enrollments:
            if enrollment.status == ACTIVE:  # by the person themselves, kept by the day
                _on_day(record(org.id, enrollment.user_id, "enrollment.joined", enrollment,
                               "Joined the course"), enrollment.joined_at)
            elif enrollment.status == WITHDRAWN:
                _on_day(record(org.id, enrollment.user_id, "enrollment.withdrawn",
                               enrollment, "Left the course; no more emails"),
                        enrollment.withdrawn_at)
    facilitator = db.session.scalar(select(User).filter_by(org_id=org.id, role=FACILITATOR))
    if facilitator is not None:
        record(org.id, actor, "staff.invited", facilitator,
               f"Invited facilitator {facilitator.name}")
    record(org.id, actor, "org.settings_changed", org,
           "Changed: support and crisis resources, minimum group size")
    start = now_utc().date() + dt.timedelta(days=63)
    draft = Cohort(org_id=org.id, name="Next intake", timezone="Europe/London",
                   start_date=start - dt.timedelta(days=start.weekday()),
                   release_time=dt.time(9, 0), weeks=8, capacity=24)
    db.session.add(draft)
    db.session.flush()
    draft.published_at = None  # after the INSERT, past the column default
    record(org.id, actor, "cohort.created", draft,
           f"Created cohort “{draft.name}” starting {draft.start_date:%d %b %Y} as a draft")
    db.session.commit()
