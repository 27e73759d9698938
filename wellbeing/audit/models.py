import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

# Actions about people: stored at 00:00 UTC of their day, and shown as that date only.
ABOUT_PEOPLE = ("enrollment.", "account.")


class AuditEvent(db.Model):
    """Who did what to which object. Never holds answers, journals or free text
    written by participants."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at = mapped_column(UTCDateTime, default=now_utc, index=True)

    actor = relationship("User")

    @property
    def day_only(self) -> bool:
        return self.action.startswith(ABOUT_PEOPLE)
