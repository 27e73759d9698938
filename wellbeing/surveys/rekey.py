"""Move every answer to a new PAIRING_KEY, in one transaction.

What PAIRING_KEY derives (sealing.py, service.pairing_key): each person's pairing key
per cohort, HMAC(PAIRING_KEY, "cohort:user"); from it, the respondent of a written answer
(different per wave) and the owner of a sealed one; and the encryption of the written
pairing and of the sealed answers. Re-keying therefore needs, for every enrolled person,
both their old and new pairing key, so that they find their own answers afterwards and
their pre and post still pair: the map is built from the enrollments, in memory, for the
length of this transaction (what any holder of the key can compute anyway). Answers of
people whose account is gone (kept at deletion) have no enrollment; their pairing key
moves to one derived from the old under the new key, so their waves still pair with each
other and with nobody else.

Rows are rewritten in random order, so the rewrite itself orders nothing; on PostgreSQL the
caller then rebuilds the tables (VACUUM FULL) so the old values leave the files."""
import hashlib
import hmac
import random
from dataclasses import dataclass

import sqlalchemy as sa

from ..cohorts.models import Enrollment
from ..core import key_checks
from ..core.bulk import rebuild
from ..extensions import db
from . import key_check, sealing
from .models import SealedAnswers, SurveyResponse
from .service import pairing_key

_shuffle = random.SystemRandom().shuffle


class Unopenable(RuntimeError):
    """Some stored answers do not open with the old key; nothing was changed."""


@dataclass
class Rekeyed:
    written: int  # answer rows (one per instrument) with a new respondent and pairing
    sealed: int  # sealed submissions sealed again
    left: int  # rows that did not open with the old key, left as they were


def _key_map(old: str, new: str) -> dict[tuple[int, str], str]:
    """(cohort, old pairing key) -> new pairing key, for every enrolled person."""
    found = {}
    for user_id, cohort_id, earlier in db.session.execute(
            sa.select(Enrollment.user_id, Enrollment.cohort_id, Enrollment.earlier_cohort_ids)):
        for answered_in in {cohort_id, *(int(c) for c in (earlier or "").split(",") if c)}:
            found[(answered_in, pairing_key(answered_in, user_id, old))] = \
                pairing_key(answered_in, user_id, new)
    return found


def _mover(old: str, new: str):
    known = _key_map(old, new)

    def moved(cohort_id: int, old_key: str) -> str:
        return known.get((cohort_id, old_key)) or hmac.new(
            new.encode(), f"kept:{cohort_id}:{old_key}".encode(), hashlib.sha256).hexdigest()
    return moved


def rekey(old: str, new: str, *, leave_unopenable: bool = False) -> Rekeyed:
    """Rewrite every answer from `old` to `new` and record `new` as the data's key; one
    transaction, committed here. Raises Unopenable (changing nothing) when a row does not
    open with `old`, unless `leave_unopenable`: such rows (sealed under some third key)
    stay as they are, as unreadable as before."""
    if old == new:
        raise ValueError("The new PAIRING_KEY is the same as the old one.")
    if db.session.get_bind().dialect.name == "postgresql":
        # Nothing may write an answer under the old key meanwhile.
        db.session.execute(sa.text("LOCK TABLE survey_responses, sealed_answers, key_checks "
                                   "IN EXCLUSIVE MODE"))
    moved = _mover(old, new)
    responses, sealed, left = [], [], 0
    for row in db.session.execute(sa.select(SurveyResponse.id, SurveyResponse.cohort_id,
                                            SurveyResponse.wave, SurveyResponse.pairing)):
        try:
            old_key = sealing.open_pairing(row.cohort_id, row.pairing, old)
        except sealing.Unreadable:
            left += 1
            continue
        new_key = moved(row.cohort_id, old_key)
        responses.append({"row_id": row.id, "new_respondent": sealing.owner(new_key, row.wave, new),
                          "new_pairing": sealing.seal_pairing(row.cohort_id, new_key, new)})
    for row in db.session.execute(sa.select(SealedAnswers.id, SealedAnswers.cohort_id,
                                            SealedAnswers.wave, SealedAnswers.sealed)):
        try:
            old_key, given = sealing.unseal(row.cohort_id, row.wave, row.sealed, old)
        except sealing.Unreadable:
            left += 1
            continue
        new_key = moved(row.cohort_id, old_key)
        sealed.append({"row_id": row.id, "new_owner": sealing.owner(new_key, row.wave, new),
                       "new_sealed": sealing.seal(row.cohort_id, row.wave, new_key, given, new)})
    if left and not leave_unopenable:
        db.session.rollback()
        raise Unopenable(
            f"{left} stored answer rows do not open with the PAIRING_KEY given as the old "
            "key, so nothing was changed. Check that PAIRING_KEY is the key in use; rows "
            "sealed under some other key can be left as they are with --leave-unopenable.")
    _shuffle(responses)
    _shuffle(sealed)
    responses_table, sealed_table = SurveyResponse.__table__, SealedAnswers.__table__
    if responses:
        db.session.execute(
            responses_table.update().where(responses_table.c.id == sa.bindparam("row_id"))
            .values(respondent=sa.bindparam("new_respondent"),
                    pairing=sa.bindparam("new_pairing")),
            responses)
    if sealed:
        db.session.execute(
            sealed_table.update().where(sealed_table.c.id == sa.bindparam("row_id"))
            .values(owner=sa.bindparam("new_owner"), sealed=sa.bindparam("new_sealed")), sealed)
    key_checks.replace(key_check.NAME, new)
    db.session.commit()
    return Rekeyed(written=len(responses), sealed=len(sealed), left=left)


def compact() -> None:
    rebuild("survey_responses", "sealed_answers")
