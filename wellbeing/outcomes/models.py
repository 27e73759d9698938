"""A cohort's outcome aggregates, taken once when its survey after the course closes.

Like the wave counts (surveys/snapshots.py), outcomes are never computed live: a later
account deletion must not move a mean, or comparing the figure before and after would
describe the person who left. The snapshot holds sums over groups, never a response."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..core.timeutil import UTCDateTime
from ..extensions import db


class OutcomeSnapshot(db.Model):
    __tablename__ = "outcome_snapshots"

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    taken_at = mapped_column(UTCDateTime, nullable=False)
    # {"instruments": {code: {"n_pre", "n_post", "scales": {key: sums}, "reliable": {…}}},
    #  "funnel": [[label, count], …], "practice": [[week, n, q1, median, q3], …]}
    data: Mapped[dict] = mapped_column(sa.JSON)
