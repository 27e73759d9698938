"""Which of a participant's enrollments a page is about: the one rule every participant
page (course home, journal, practice log, surveys) uses."""
import datetime as dt

from sqlalchemy import select

from ..core.timeutil import now_utc
from ..extensions import db
from . import schedule
from .models import WITHDRAWN, Cohort, Enrollment


def current_enrollment(user, now: dt.datetime | None = None) -> Enrollment | None:
    """The cohort the person is in now: a running one first (being enrolled in a later
    cohort must not hide the course in progress), else the next to start, else the most
    recent finished one. Withdrawn enrollments and unpublished cohorts never count."""
    now = now or now_utc()
    enrollments = list(db.session.scalars(
        select(Enrollment).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user.id, Enrollment.org_id == user.org_id,
               Enrollment.status != WITHDRAWN, Cohort.archived_at.is_(None),
               Cohort.published_at.is_not(None))  # a draft is not open to anyone yet
        .order_by(Cohort.start_date.desc(), Enrollment.id.desc())))
    return current_of(enrollments, now)


def left_enrollment(user) -> Enrollment | None:
    """The course the person left most recently (for their own history only)."""
    return db.session.scalars(
        select(Enrollment).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user.id, Enrollment.org_id == user.org_id,
               Enrollment.status == WITHDRAWN)
        .order_by(Enrollment.withdrawn_at.desc(), Enrollment.id.desc())).first()


def current_of(enrollments: list[Enrollment], now: dt.datetime) -> Enrollment | None:
    """The rule above, over enrollments already loaded latest start first."""
    by_status: dict[str, list[Enrollment]] = {}
    for enrollment in enrollments:
        by_status.setdefault(schedule.status(enrollment.cohort, now), []).append(enrollment)
    if by_status.get("running"):
        return by_status["running"][0]
    if by_status.get("scheduled"):
        return by_status["scheduled"][-1]  # the soonest to start
    return enrollments[0] if enrollments else None
