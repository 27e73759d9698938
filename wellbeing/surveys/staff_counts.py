"""How many people answered each survey, as staff may see it: a band while the survey is
open, the kept snapshot once it has closed (rounded, as on the outcome pages), and every
figure through the suppression rules (core/suppression.py), out of everyone who could
have answered, so that no figure can only mean all of them."""
import datetime as dt
from dataclasses import dataclass

from ..cohorts.models import Cohort
from ..core.suppression import Figure, live_count, rounded_count
from . import service, snapshots
from .models import PRE
from .service import WAVE_NAMES, Window

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


@dataclass(frozen=True)
class WaveCount:
    wave: str
    name: str
    window: Window
    state: str
    figure: Figure | None  # None while the survey has not opened


def kept_figure(respondents: int, everyone: int, minimum: int) -> Figure:
    """A closed wave's kept count as staff see it, here and on the outcome pages alike
    (two texts for one count would tell what happened between them): rounded, out of
    how many could have answered at the close. A deleted account's answers stay in the
    kept count, so "everyone" is never taken below it."""
    return rounded_count(respondents, minimum, max(everyone, respondents))


def _state(cohort: Cohort, window: Window, now: dt.datetime) -> str:
    if now >= window.closes_at:
        return CLOSED
    # The pre survey opens for each person at their invitation: open once published.
    opened = not cohort.is_draft if window.wave == PRE else window.opens_at <= now
    return OPEN if opened else UPCOMING


def wave_counts(cohort: Cohort, now: dt.datetime, minimum: int) -> list[WaveCount]:
    """One row per wave. Takes the snapshot of a wave that closed since the last look
    (part of the caller's transaction: commit it)."""
    windows = service.windows(cohort)
    states = {w.wave: _state(cohort, w, now) for w in windows}
    closed = snapshots.take_due(cohort, now) if set(states.values()) - {UPCOMING} else {}
    states.update({wave: CLOSED for wave in closed if wave in states})
    live = service.respondent_counts(cohort) if OPEN in states.values() else {}
    now_enrolled = service.could_answer(cohort)
    figures = {}
    for w in windows:
        if states[w.wave] == CLOSED:
            # "Everyone" as it was at the close: measured against the cohort now, a
            # later enrollment would turn "Hidden" into a number and say all had answered.
            kept = closed[w.wave]
            figures[w.wave] = kept_figure(
                kept.respondents, kept.everyone if kept.everyone is not None else now_enrolled,
                minimum)
        elif states[w.wave] == OPEN:
            figures[w.wave] = live_count(live[w.wave], minimum,
                                         max(now_enrolled, live[w.wave]))
    return [WaveCount(w.wave, WAVE_NAMES[w.wave], w, states[w.wave], figures.get(w.wave))
            for w in windows]
