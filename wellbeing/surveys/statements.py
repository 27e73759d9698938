"""The statements that store a submitted wave, built once at import.

A statement built per request costs its compilation every time (a multi-row VALUES
INSERT is never cached by SQLAlchemy). These are compiled once per process and executed
with fresh parameters, which is most of the work of a survey submission."""
from sqlalchemy import JSON, Integer, String, bindparam, column, func, insert, select

from .models import SurveyCompletion, SurveyResponse

# Each answer column with the type it travels as inside the JSON array.
ANSWER_COLUMNS = {"id": String, "org_id": Integer, "cohort_id": Integer, "wave": String,
                  "instrument": String, "pairing_key": String, "answers": JSON,
                  "scores": JSON, "submitted_week": String}

# Executed with one parameter set: the completion (org_id, enrollment_id, wave,
# completed_on). With a list of parameter sets: one answer row each.
COMPLETION = insert(SurveyCompletion.__table__)
ANSWER = insert(SurveyResponse.__table__)


def _pg_completion_and_answers():
    """PostgreSQL: the completion and every answer row in one statement, one round trip.
    The answer rows travel as one JSON array (`rows`) unpacked by json_to_recordset; the
    completion is a data-modifying WITH, which PostgreSQL runs to the end although nothing
    reads it, and a repeated completion fails the whole statement."""
    table = SurveyResponse.__table__
    rows = (func.json_to_recordset(bindparam("rows", type_=JSON))
            .table_valued(*(column(name, kind) for name, kind in ANSWER_COLUMNS.items()))
            .render_derived(name="answer", with_types=True))
    completion = insert(SurveyCompletion.__table__).values(
        org_id=bindparam("org_id"), enrollment_id=bindparam("enrollment_id"),
        wave=bindparam("wave", type_=String), completed_on=bindparam("completed_on"))
    return (insert(table).from_select(list(ANSWER_COLUMNS), select(*rows.c))
            .add_cte(completion.cte("completion")))


PG_COMPLETION_AND_ANSWERS = _pg_completion_and_answers()
