"""Exact survey counts for staff, taken once when a wave closes and kept.

While a wave is open staff see its response count only as a band. When it closes, the
number of respondents is counted once and stored here; the page shows that number from
then on, so a later account deletion or move does not change it (the deleted answers
themselves still go: a snapshot holds a count, never a response)."""
import datetime as dt
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Mapped, mapped_column

from ..cohorts.models import Cohort
from ..core.insert_once import insert_once
from ..core.timeutil import UTCDateTime
from ..extensions import db
from . import service
from .models import WAVES

# The longest course (16 weeks) plus the latest follow-up (52 weeks) and its 3 open weeks.
SNAPSHOT_HORIZON = dt.timedelta(weeks=16 + 52 + 3 + 1)


class WaveSnapshot(db.Model):
    __tablename__ = "wave_snapshots"
    __table_args__ = (sa.CheckConstraint(f"wave IN {WAVES!r}", name="wave_known"),)

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    wave: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    respondents: Mapped[int]
    # How many could have answered, at the close: what "everyone" means for this count
    # from then on (None for counts kept before December 2026).
    everyone: Mapped[int | None]
    taken_at = mapped_column(UTCDateTime, nullable=False)


class Kept(NamedTuple):
    respondents: int
    everyone: int | None


def take_due(cohort: Cohort, now: dt.datetime) -> dict[str, Kept]:
    """The snapshots of the cohort's closed waves, taking any not yet taken (the first
    caller after the close takes it; two at once store one). Part of the caller's
    transaction. Returns wave -> kept count for closed waves, and for any wave counted
    before that a schedule change has opened again: its kept count stays what staff see,
    since a band beside the count they saw would narrow both."""
    kept = kept_counts(cohort)
    closed = [w.wave for w in service.windows(cohort) if w.closes_at <= now]
    missing = [wave for wave in closed if wave not in kept]
    if missing:
        counts = service.respondent_counts(cohort)
        everyone = service.could_answer(cohort)
        for wave in missing:
            insert_once(WaveSnapshot, cohort_id=cohort.id, wave=wave,
                        respondents=counts[wave], everyone=everyone, taken_at=now)
        kept = kept_counts(cohort)
    return kept


def kept_counts(cohort: Cohort) -> dict[str, Kept]:
    """The counts kept so far, without taking any: wave -> (respondents, everyone)."""
    return {wave: Kept(n, everyone) for wave, n, everyone in db.session.execute(
        select(WaveSnapshot.wave, WaveSnapshot.respondents, WaveSnapshot.everyone)
        .where(WaveSnapshot.cohort_id == cohort.id))}


def take_all_due(now: dt.datetime) -> int:
    """For beat: snapshot every wave that has closed and has none yet, cohort by cohort.
    Only cohorts that started within SNAPSHOT_HORIZON are looked at: every wave, a late
    follow-up included, has closed by then. Returns the cohorts looked at."""
    since = (now - SNAPSHOT_HORIZON).date()
    cohorts = list(db.session.scalars(select(Cohort).where(
        Cohort.published_at.is_not(None), Cohort.start_date.between(since, now.date()))))
    for cohort in cohorts:
        take_due(cohort, now)
        db.session.commit()
    return len(cohorts)
