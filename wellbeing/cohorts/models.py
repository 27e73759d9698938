import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

INVITED, ACTIVE, WITHDRAWN = "invited", "active", "withdrawn"
ENROLLMENT_STATUSES = (INVITED, ACTIVE, WITHDRAWN)


class Cohort(db.Model):
    __tablename__ = "cohorts"
    __table_args__ = (
        sa.CheckConstraint("weeks BETWEEN 1 AND 16", name="weeks_range"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        {"sqlite_autoincrement": True},  # ids never reused (migration 0007)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Week 1 opens on start_date at release_time in `timezone`; week N seven days later
    # per week. The weekday of release is therefore the weekday of start_date.
    start_date: Mapped[dt.date]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    release_time: Mapped[dt.time] = mapped_column(default=dt.time(9, 0))
    weeks: Mapped[int] = mapped_column(default=8)
    capacity: Mapped[int | None]
    live_session_time: Mapped[dt.time | None]
    live_session_minutes: Mapped[int | None]
    live_session_place: Mapped[str | None] = mapped_column(sa.String(500))
    archived_at = mapped_column(UTCDateTime)
    # None while HR prepares a draft: enrollments can be added, invitations wait.
    # Defaults to "published at creation" so code that makes cohorts directly (demo,
    # other areas' tests) gets a normal cohort; HR's form sets None for a draft.
    published_at = mapped_column(UTCDateTime, default=now_utc)
    created_at = mapped_column(UTCDateTime, default=now_utc)
    # People once enrolled here who deleted their account since (migration 0028): their
    # enrollment is gone, but "everyone ever enrolled" must not shrink, or a figure
    # measured against it would drop by exactly that person.
    departed: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    facilitators = relationship("User", secondary="cohort_facilitators")
    enrollments = relationship("Enrollment", back_populates="cohort", lazy="dynamic")


class CohortFacilitator(db.Model):
    __tablename__ = "cohort_facilitators"

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "user_id"),
        sa.CheckConstraint(f"status IN {ENROLLMENT_STATUSES!r}", name="status_known"),
        {"sqlite_autoincrement": True},  # ids never reused (migration 0007)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=INVITED)
    invited_at = mapped_column(UTCDateTime, default=now_utc)
    joined_at = mapped_column(UTCDateTime)
    withdrawn_at = mapped_column(UTCDateTime)
    # Cohorts HR moved this person out of, oldest first ("3,7"). Answers given there stay
    # there (a staff count must not change when one person moves, or it would tell
    # whether they answered); the person finds them again through these ids.
    earlier_cohort_ids: Mapped[str] = mapped_column(sa.String(200), default="",
                                                    server_default="")

    cohort = relationship("Cohort", back_populates="enrollments")
    user = relationship("User")

    @property
    def answer_cohort_ids(self) -> list[int]:
        """Every cohort whose answer side may hold this person's answers."""
        earlier = [int(c) for c in self.earlier_cohort_ids.split(",") if c]
        return list(dict.fromkeys([*earlier, self.cohort_id]))

    @classmethod
    def ever_in(cls, cohort):
        """SQL condition: enrolled in `cohort` now or moved out of it since, whatever
        the status. The people whose progress a cohort's counts may hold: a count over
        anyone less would change when someone leaves or is moved out."""
        earlier = sa.literal(",") + cls.earlier_cohort_ids + sa.literal(",")
        return sa.and_(cls.org_id == cohort.org_id,
                       sa.or_(cls.cohort_id == cohort.id,
                              earlier.contains(f",{cohort.id},")))

    @classmethod
    def count_ever_in(cls, cohort) -> int:
        """How many people were ever enrolled in `cohort`, those who deleted their
        account since included: the "everyone" of every staff figure. Without them, a
        deletion would lower the total and say what the person had done."""
        return (db.session.scalar(sa.select(sa.func.count()).select_from(cls)
                                  .where(cls.ever_in(cohort))) or 0) + (cohort.departed or 0)


class EnrollmentImport(db.Model):
    """A checked CSV upload waiting for HR's confirmation. The parsed rows live here,
    server-side, between preview and confirm; the form only carries the random token.
    `confirmed_at` is set by one conditional UPDATE, so a double submit imports once."""

    __tablename__ = "enrollment_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    # JSON: every row as parsed, with its status and reason (the preview), and the counts.
    payload: Mapped[str] = mapped_column(sa.Text)
    created_at = mapped_column(UTCDateTime, default=now_utc)
    confirmed_at = mapped_column(UTCDateTime)


class EnrollmentRecord:
    """Mixin for a row about one enrollment (a week completed, a practice logged, a survey
    completed): in the enrollment's organisation, and gone when the enrollment goes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)


class CohortRecord(EnrollmentRecord):
    """An EnrollmentRecord that staff counts read (a week opened or completed, a practice
    logged): it keeps the cohort the person was in when it happened. A move changes the
    enrollment's cohort, not this one, so a person's history never shows up in the counts
    of a cohort they were moved into (a draft cohort of one person and a few who have done
    nothing would otherwise read it back), nor leaves the counts of the one they left.

    When the person deletes their account a week opened or completed stays, without them:
    `enrollment_id` becomes NULL (migration 0028) and its date the cohort's start, so the
    counts do not drop by what that person did (account/service.py)."""

    enrollment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrollments.id", ondelete="SET NULL"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
