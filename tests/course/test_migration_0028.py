"""Migration 0028 on a database in use: weeks, practice and cohorts written before it are
kept as they are, and afterwards a row may outlive its enrollment; going back removes
only the rows that no longer name one."""
import datetime as dt

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from wellbeing.account.service import delete_account
from wellbeing.auth.models import User
from wellbeing.cohorts.models import Cohort
from wellbeing.course.models import ModuleOpened, ModuleProgress, PracticeLog
from wellbeing.extensions import db

DAY = dt.date(2026, 3, 3)
MODELS = (ModuleProgress, ModuleOpened, PracticeLog)


def _rows(model) -> list:
    return sorted(db.session.scalars(select(model.enrollment_id)).all(),
                  key=lambda e: (e is not None, e))


def _record(model, org_id, enrollment_id, cohort_id) -> dict:
    record = {"org_id": org_id, "enrollment_id": enrollment_id, "cohort_id": cohort_id}
    if model is PracticeLog:
        return {**record, "day": DAY, "practice": "other", "minutes": 10, "note": "mine"}
    return {**record, "week": 1, ("completed_on" if model is ModuleProgress
                                  else "opened_on"): DAY}


def test_rows_written_before_are_kept_and_may_then_outlive_their_enrollment(
        make_cohort, make_user, enroll, org):
    cohort = make_cohort(org=org)
    pat, lee = make_user(org=org), make_user(org=org)
    pats, lees = enroll(pat, cohort), enroll(lee, cohort)
    ids = {"org": org.id, "cohort": cohort.id, "pat": pat.id, "pats": pats.id,
           "lees": lees.id}
    db.session.remove()
    downgrade(revision="0027")
    try:
        for model in MODELS:
            db.session.execute(sa.insert(model.__table__), [
                _record(model, ids["org"], e, ids["cohort"]) for e in (ids["pats"], ids["lees"])])
        db.session.commit()
        db.session.remove()
    finally:
        upgrade()
    assert db.session.scalar(select(Cohort.departed).where(Cohort.id == ids["cohort"])) == 0
    for model in MODELS:
        assert _rows(model) == sorted([ids["pats"], ids["lees"]])
    inspector = sa.inspect(db.engine)
    for model in MODELS:
        columns = inspector.get_columns(model.__tablename__)
        assert next(c for c in columns if c["name"] == "enrollment_id")["nullable"]
        [link] = [fk for fk in inspector.get_foreign_keys(model.__tablename__)
                  if fk["constrained_columns"] == ["enrollment_id"]]
        assert link["options"].get("ondelete") == "SET NULL"

    delete_account(db.session.get(User, ids["pat"]), delete_answers=False)
    for model in (ModuleProgress, ModuleOpened):
        assert _rows(model) == [None, ids["lees"]]
    assert _rows(PracticeLog) == [ids["lees"]]  # practice goes with the person
    assert db.session.scalar(select(Cohort.departed).where(Cohort.id == ids["cohort"])) == 1

    db.session.remove()
    downgrade(revision="0027")
    try:
        # The older schema has no place for a row without its enrollment: those go.
        for model in MODELS:
            table = sa.table(model.__tablename__, sa.column("enrollment_id"))
            assert db.session.execute(
                select(table.c.enrollment_id)).scalars().all() == [ids["lees"]]
            assert db.session.scalar(select(func.count()).select_from(table)) == 1
        db.session.remove()
    finally:
        upgrade()
    for model in MODELS:
        assert _rows(model) == [ids["lees"]]
