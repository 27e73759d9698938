"""When a wave closes, its sealed answers are opened and the wave's answer rows are
written all together, in random order, in one transaction.

Whatever writes a row leaves marks a copy of the database keeps: PostgreSQL stamps each
row with its transaction's id (xmin, numbered in order), places it after the rows written
before it (ctid, and the order of a dump), and on either database a row written alone can
be lined up with the identity-side rows written around it. Answers written at submission
therefore pair with their completion, however they are written. Written here instead,
the answers of a whole wave share one transaction id, unrelated to any completion, and
sit in an order drawn at random. Rows of the wave already written (a wave reopened by a
schedule change) are rewritten with them, so the wave never splits into groups by the
time of their release. Until then, the person reads their own answers from the seal.

Beat runs release_closed_waves every few minutes (tasks/housekeeping.py)."""
import datetime as dt
import logging
import random

from sqlalchemy import delete, insert, select

from .. import instruments as catalogue
from ..cohorts.models import Cohort
from ..extensions import db
from ..instruments.scoring import score
from . import sealing, service
from .models import SealedAnswers, SurveyResponse, _random_id

# A submission that began just before the close still stores its answers; waiting a
# little lets it land before the release rather than be released alone later.
RELEASE_AFTER = dt.timedelta(minutes=15)
log = logging.getLogger(__name__)
_shuffle = random.SystemRandom().shuffle


def release_closed_waves(now: dt.datetime) -> int:
    """Release every wave whose sealed answers wait past its close; returns the sealed
    submissions released."""
    waiting = db.session.execute(
        select(SealedAnswers.cohort_id, SealedAnswers.wave).distinct()).all()
    released = 0
    for cohort_id, wave in waiting:
        span = service.window(db.session.get(Cohort, cohort_id), wave)
        if span is None or now >= span.closes_at + RELEASE_AFTER:
            released += release_wave(cohort_id, wave)
    return released


def _rescored(code: str, one: dict) -> dict:
    """Scores from the answers by today's definition: a submission sealed before a
    scoring fix (migration 0020 rescored only the answers already written) comes out
    scored like every other."""
    instrument = catalogue.registry().get(code)
    return score(instrument, one["answers"]) if instrument else one["scores"]


def release_wave(cohort_id: int, wave: str) -> int:
    """Write the wave's answers, sealed and already written, in random order, in one
    transaction; a crash rolls it all back. Sealed rows that cannot be opened (another
    PAIRING_KEY) stay sealed and are reported; they are never dropped."""
    held = db.session.execute(
        select(SealedAnswers.id, SealedAnswers.org_id, SealedAnswers.sealed)
        .where(SealedAnswers.cohort_id == cohort_id, SealedAnswers.wave == wave)
        .with_for_update()).all()  # a release running beside this one waits, then finds none
    rows, opened = [], []
    for held_id, org_id, sealed in held:
        try:
            key, given = sealing.unseal(cohort_id, wave, sealed)
        except sealing.Unreadable:
            continue
        opened.append(held_id)
        respondent = sealing.owner(key, wave)
        rows += [{"id": _random_id(), "org_id": org_id, "cohort_id": cohort_id, "wave": wave,
                  "instrument": code, "respondent": respondent,
                  "pairing": sealing.seal_pairing(cohort_id, key),
                  "answers": one["answers"], "scores": _rescored(code, one)}
                 for code, one in given.items()]
    if len(opened) < len(held):
        log.error("%d sealed submissions of cohort %s (%s) cannot be opened with this "
                  "PAIRING_KEY; they are kept sealed", len(held) - len(opened), cohort_id, wave)
    if not opened:
        db.session.rollback()
        return 0
    table = SurveyResponse.__table__
    written = db.session.execute(
        delete(table).where(table.c.cohort_id == cohort_id, table.c.wave == wave)
        .returning(*table.c)).mappings().all()
    rows += [dict(row) for row in written]
    _shuffle(rows)
    db.session.execute(delete(SealedAnswers).where(SealedAnswers.id.in_(opened)))
    db.session.execute(insert(table), rows)  # one row after another, in the drawn order
    db.session.commit()
    return len(opened)
