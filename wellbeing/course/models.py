import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ModuleProgress(db.Model):
    """A participant marked a week's module complete. Recorded by day only, like every
    completion, so it cannot be lined up with anything timed to the minute."""

    __tablename__ = "module_progress"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrollments.id", ondelete="CASCADE"), index=True)
    week: Mapped[int]
    completed_on: Mapped[dt.date]
