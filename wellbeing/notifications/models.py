import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
STATUSES = (PENDING, SENDING, SENT, FAILED, CANCELLED)


class OutboxMessage(db.Model):
    """Every email is a row first. `dedupe_key` is unique: planning the same message
    twice inserts nothing, and the pending → sending claim means a redelivered task
    cannot send it twice.

    A message about one enrollment says so in `enrollment_id`, and names the cohort it
    counts for in `cohort_id` (and `week` or survey `wave` when it belongs to one): that
    is how a schedule change or a withdrawal finds its pending messages, and how staff
    counts stay with the cohort where mail was sent. The key is only an identity, never
    read back."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        sa.Index("ix_outbox_due_pending", "due_at",
                 sqlite_where=sa.text("status = 'pending'"),
                 postgresql_where=sa.text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # By table name: the outbox sits below cohorts and does not import them.
    enrollment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrollments.id", ondelete="SET NULL"), index=True)
    # The cohort the message counts for on staff pages: the enrollment's cohort when it
    # was written, and the new one for a pending message moved with its person (a move
    # leaves mail already sent where it was sent). None for mail about no enrollment.
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    week: Mapped[int | None]
    wave: Mapped[str | None] = mapped_column(sa.String(10))
    to_email: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(20), default=PENDING)
    due_at = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at = mapped_column(UTCDateTime)
    sent_at = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at = mapped_column(UTCDateTime, default=now_utc)
