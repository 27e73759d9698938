import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.timeutil import UTCDateTime, now_utc
from ..extensions import db

DEFAULT_CRISIS_RESOURCES = (
    "If you are in crisis or thinking about harming yourself, call your local emergency "
    "number now. In the UK and Ireland you can call Samaritans on 116 123; in the US, "
    "call or text 988. Your Employee Assistance Programme is free and confidential."
)


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (sa.CheckConstraint("min_group_size >= 3", name="min_group_size_floor"),
                      {"sqlite_autoincrement": True})  # ids never reused (migration 0007)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/London")
    min_group_size: Mapped[int] = mapped_column(default=5)
    crisis_resources: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_CRISIS_RESOURCES)
    created_at = mapped_column(UTCDateTime, default=now_utc)
