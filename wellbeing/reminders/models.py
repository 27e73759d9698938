"""What reminders keep of their own: a person's mail preferences, and how far the planner
has planned each cohort (so a minute with nothing due costs one small query)."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

QUIET_START, QUIET_END = dt.time(20, 0), dt.time(8, 0)


class MailPreference(db.Model):
    """A person's choices. No row means the defaults: every kind on, quiet 20:00-08:00
    in their own time zone (User.timezone, else the organisation's)."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    week_opened: Mapped[bool] = mapped_column(default=True)
    nudges: Mapped[bool] = mapped_column(default=True)
    survey_reminders: Mapped[bool] = mapped_column(default=True)
    quiet_start: Mapped[dt.time] = mapped_column(default=QUIET_START)
    quiet_end: Mapped[dt.time] = mapped_column(default=QUIET_END)


class CohortPlan(db.Model):
    """The planner's bookmark for a cohort: every moment up to `planned_until` has been
    planned. `replan` asks for a full pass (a person changed quiet hours, say)."""

    __tablename__ = "cohort_plans"

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    planned_until = mapped_column(UTCDateTime)
    replan: Mapped[bool] = mapped_column(default=True)


class Announcement(db.Model):
    """A message a facilitator (or HR) writes to their cohort. Saved as a draft for the
    preview; `sent_at` is set by one conditional UPDATE when confirmed, so a double
    submit sends once."""

    __tablename__ = "announcements"
    __table_args__ = (sa.CheckConstraint("format IN ('plain', 'markdown')",
                                         name="format_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(sa.String(150))
    body: Mapped[str] = mapped_column(sa.Text)
    format: Mapped[str] = mapped_column(sa.String(10), default="plain")
    created_at = mapped_column(UTCDateTime, default=now_utc)
    sent_at = mapped_column(UTCDateTime)
