import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..cohorts.models import CohortRecord, EnrollmentRecord
from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

MAX_MINUTES = 180
NOTE_MAX = 500
JOURNAL_MAX = 10_000


class ModuleProgress(CohortRecord, db.Model):
    """A participant marked a week's module complete. Recorded by day only, like every
    completion, so it cannot be lined up with anything timed to the minute."""

    __tablename__ = "module_progress"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "week"),)

    week: Mapped[int]
    completed_on: Mapped[dt.date]


class ModuleOpened(CohortRecord, db.Model):
    """The first day a participant opened a week's module. Keeps an opened week open even
    if the cohort's schedule is later moved, and tells reminders which modules wait unread."""

    __tablename__ = "module_opened"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "week"),)

    week: Mapped[int]
    opened_on: Mapped[dt.date]


class PracticeLog(CohortRecord, db.Model):
    """One home practice on one day. Private to the participant; staff only ever see
    aggregates (built elsewhere, with the minimum group size rule)."""

    __tablename__ = "practice_logs"
    __table_args__ = (
        # The same form sent twice (a double-click) stores one entry; logging the same
        # practice again the same day is a new form, a new token (migration 0009).
        sa.UniqueConstraint("enrollment_id", "entry_token"),
        sa.CheckConstraint(f"minutes BETWEEN 1 AND {MAX_MINUTES}", name="minutes_range"),
    )

    day: Mapped[dt.date]
    practice: Mapped[str] = mapped_column(sa.String(80))  # a course practice slug or "other"
    minutes: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(NOTE_MAX))
    entry_token: Mapped[str | None] = mapped_column(sa.String(32))
    created_at = mapped_column(UTCDateTime, default=now_utc)


class JournalEntry(db.Model):
    """A private reflection. Readable only by its author; the text is stored encrypted
    (Fernet, key derived from JOURNAL_KEY), so a database dump alone does not reveal it."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                           index=True)
    week: Mapped[int | None]  # the week whose reflection prompt it answers, if any
    body_encrypted: Mapped[str] = mapped_column(sa.Text)
    written_on: Mapped[dt.date]
    created_at = mapped_column(UTCDateTime, default=now_utc)
    updated_at = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)


class OrgModule(db.Model):
    """An organisation's own text for a week. For a shipped week, each filled field
    replaces the shipped one (empty fields keep ours); for a week past the shipped
    curriculum it is the organisation's own module, for cohorts that run longer."""

    __tablename__ = "org_modules"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "week"),
        sa.CheckConstraint("week BETWEEN 1 AND 16", name="week_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    week: Mapped[int]
    title: Mapped[str | None] = mapped_column(sa.String(200))
    intention: Mapped[str | None] = mapped_column(sa.String(1000))
    reading: Mapped[str | None] = mapped_column(sa.Text)
    reflection: Mapped[str | None] = mapped_column(sa.String(1000))
    home_practice: Mapped[str | None] = mapped_column(sa.String(2000))
    # Practices from the course library, by slug, space-separated (own modules only).
    practice_slugs: Mapped[str | None] = mapped_column(sa.String(500))
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)


class PracticeMark(EnrollmentRecord, db.Model):
    """A practice this participant has opened (the day first opened) and whether they keep
    it as a favourite; week 8's "carry it forward" choices are favourites. Theirs alone:
    no staff page reads this table."""

    __tablename__ = "practice_marks"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "slug"),)

    slug: Mapped[str] = mapped_column(sa.String(80))
    first_opened_on: Mapped[dt.date]
    favourite: Mapped[bool] = mapped_column(default=False)


class PracticeRecording(db.Model):
    """An organisation's own recording of a practice (its facilitator's voice), stored in
    the database with the org's content so every web process on every machine serves it."""

    __tablename__ = "practice_recordings"
    __table_args__ = (sa.UniqueConstraint("org_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    # Deferred: listing recordings never loads megabytes of audio.
    audio: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at = mapped_column(UTCDateTime, default=now_utc)
