"""Refuse to run with a PAIRING_KEY other than the one the answers were written with.

Every answer's respondent and pairing, and every sealed answer, are derived from
PAIRING_KEY (sealing.py). Another key would not fail loudly: people would no longer find
their own answers, new answers would never pair with the old, and sealed ones would stay
shut. So the data keeps a check value of its key (core/key_checks.py), and every process
compares it when it starts. A database from before the check value records it at the
first start, after proving the key opens a stored row; a key that cannot is refused
there too. `wellbeing rekey-pairing` (rekey.py) is the way to a new key."""
import logging

import sqlalchemy as sa
from flask import Flask

from ..core import key_checks
from ..core.key_checks import DIFFERS
from ..extensions import db
from . import sealing
from .models import SealedAnswers, SurveyResponse

NAME = "PAIRING_KEY"
log = logging.getLogger(__name__)


class WrongPairingKey(RuntimeError):
    """PAIRING_KEY is not the key this database's answers were written with."""


REFUSAL = ("PAIRING_KEY is not the key this database's survey answers were written with. "
           "Wellbeing will not start with it: people would no longer find their own "
           "answers, new answers would never pair with earlier ones, and sealed answers "
           "could not be opened. Set PAIRING_KEY back to the key in use (from your secret "
           "store or the keys folder's backup). To change the key, stop every process and "
           "run `wellbeing rekey-pairing` with the old key set (docs/operator.md, "
           "'Rotating PAIRING_KEY').")


def _opens_stored_data(secret: str) -> bool:
    """True when the database holds no answer, or the key opens one it holds."""
    row = db.session.execute(
        sa.select(SurveyResponse.cohort_id, SurveyResponse.pairing).limit(1)).first()
    if row is not None:
        try:
            sealing.open_pairing(row.cohort_id, row.pairing, secret)
            return True
        except sealing.Unreadable:
            return False
    held = db.session.execute(
        sa.select(SealedAnswers.cohort_id, SealedAnswers.wave, SealedAnswers.sealed)
        .limit(1)).first()
    if held is None:
        return True
    try:
        sealing.unseal(held.cohort_id, held.wave, held.sealed, secret)
        return True
    except sealing.Unreadable:
        return False


def verify(secret: str) -> None:
    """Raise WrongPairingKey unless `secret` is the data's key; record it on first use."""
    if not sa.inspect(db.engine).has_table(key_checks.KeyCheck.__tablename__):
        return  # not migrated yet: nothing written with any key
    found = key_checks.compare(NAME, secret)
    if found is None:
        if not _opens_stored_data(secret):
            db.session.rollback()
            raise WrongPairingKey(REFUSAL)
        found = key_checks.record(NAME, secret)
    db.session.rollback()
    if found == DIFFERS:
        raise WrongPairingKey(REFUSAL)


def install(app: Flask) -> None:
    """Check at start. With the database out of reach at that moment (a process started
    while PostgreSQL restarts), the first request checks instead, and answers 503 with
    the reason while the key is wrong."""
    with app.app_context():
        try:
            verify(app.config["PAIRING_KEY"])
            return
        except sa.exc.OperationalError:
            db.session.rollback()
            log.warning("the database did not answer at start; PAIRING_KEY will be checked "
                        "on the first request")
        finally:
            db.session.remove()
    checked = []

    @app.before_request
    def _verify_once():
        if checked:
            return None
        try:
            verify(app.config["PAIRING_KEY"])  # WrongPairingKey: the error page answers
        except sa.exc.OperationalError:
            db.session.rollback()
            return None  # still out of reach: the request itself says so (or /healthz)
        checked.append(True)
        return None
