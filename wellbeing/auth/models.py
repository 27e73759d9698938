import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

ADMIN, FACILITATOR, PARTICIPANT = "admin", "facilitator", "participant"
ROLES = (ADMIN, FACILITATOR, PARTICIPANT)
STAFF_ROLES = (ADMIN, FACILITATOR)
ROLE_LABELS = {ADMIN: "Org admin", FACILITATOR: "Facilitator", PARTICIPANT: "Participant"}


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        # One account per address in each organisation; the same address may have an
        # account in several (each organisation's people are its own).
        sa.UniqueConstraint("org_id", "email"),
        # SQLite: never hand a deleted person's id to someone new (migration 0007).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20), default=PARTICIPANT)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    department: Mapped[str | None] = mapped_column(sa.String(200))
    locale: Mapped[str] = mapped_column(sa.String(20), default="en")
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Part of the id kept in the session cookie; signing out bumps it, so a copied or
    # stolen cookie stops working on the server, not just in this browser.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at = mapped_column(UTCDateTime, default=now_utc)
    # First sign-in. Staff invited in the app are offered as facilitators only from then.
    accepted_at = mapped_column(UTCDateTime)

    org = relationship("Organization")

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot sign in
        return self.is_active_account

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def display_timezone(self) -> str:
        return self.timezone or self.org.timezone


class LoginToken(db.Model):
    """A single-use sign-in link. Only a hash of the secret is stored."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    next_path: Mapped[str | None] = mapped_column(sa.String(200))
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=now_utc)
