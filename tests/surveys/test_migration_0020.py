"""Migration 0020 on a database in use: scores stored under the old key (SCS-SF subscales
from reversed items, everything rounded to 4 decimals) are recomputed exactly from the
answers kept with them; downgrading writes the old scores back."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from wellbeing.extensions import db
from wellbeing.surveys.models import SurveyResponse

# SCS-SF raw answers; keyed: 4,4,3,5,5,4,3,4,1,1,4,3 (sum 41): total 41/12 = 3.41666…
SCS = [2, 4, 3, 1, 5, 4, 3, 2, 5, 1, 2, 3]
OLD_SCS = {"total": 3.4167, "subscales": {
    "self_kindness": 4.0, "self_judgment": 3.5, "common_humanity": 3.0, "isolation": 4.5,
    "mindfulness": 3.0, "over_identification": 2.5}}
NEW_SCS_SUBSCALES = {  # each the mean of its own items as answered
    "self_kindness": 4.0, "self_judgment": 2.5, "common_humanity": 3.0, "isolation": 1.5,
    "mindfulness": 3.0, "over_identification": 3.5}
PSS = [3, 2, 4, 1, 0, 2, 1, 3, 4, 2]  # keyed sum 28


def _before_0014() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision("0020").down_revision


def _row(cohort, code, values, scores):
    row = {"id": str(uuid.uuid4()), "org_id": cohort[0], "cohort_id": cohort[1],
           "wave": "pre", "instrument": code, "pairing_key": uuid.uuid4().hex,
           "answers": {str(n): v for n, v in enumerate(values, start=1)}, "scores": scores}
    return row


# The answer table as it was at revision 0019 (0022 replaced pairing_key).
AT_0019 = sa.table("survey_responses", *(sa.column(name) for name in (
    "id", "org_id", "cohort_id", "wave", "instrument", "pairing_key")),
    sa.column("answers", sa.JSON), sa.column("scores", sa.JSON))


def test_upgrading_rescores_existing_answers_exactly_and_downgrading_restores(make_cohort):
    made = make_cohort()
    cohort = (made.org_id, made.id)
    db.session.remove()
    downgrade(revision=_before_0014())
    try:
        db.session.execute(sa.insert(AT_0019), [
            _row(cohort, "SCS-SF", SCS, OLD_SCS),
            _row(cohort, "PSS-10", PSS, {"total": 28.0, "subscales": {}})])
        db.session.commit()
        db.session.remove()
    finally:
        upgrade()
    found = dict(db.session.execute(select(SurveyResponse.instrument,
                                           SurveyResponse.scores)).all())
    assert found["SCS-SF"]["total"] == pytest.approx(41 / 12, abs=1e-12)
    assert found["SCS-SF"]["total"] != 3.4167
    assert found["SCS-SF"]["subscales"] == NEW_SCS_SUBSCALES
    assert found["PSS-10"] == {"total": 28.0, "subscales": {}}

    db.session.remove()
    downgrade(revision=_before_0014())
    try:
        old = dict(db.session.execute(select(AT_0019.c.instrument, AT_0019.c.scores)).all())
        db.session.remove()
    finally:
        upgrade()
    assert old["SCS-SF"] == OLD_SCS
