"""The answer table, as the real database has it, cannot point at a person or a moment."""
import sqlalchemy as sa

from wellbeing.extensions import db

PERSON_TABLES = {"users", "enrollments", "login_tokens", "survey_completions",
                 "cohort_facilitators", "module_progress", "outbox_messages", "audit_events"}
PERSON_WORDS = ("user", "email", "ip", "address", "enrollment", "name", "person",
                "participant", "agent", "session")
TIME_TYPES = (sa.DateTime, sa.Date, sa.Time, sa.Interval)


def _columns(table):
    return {c["name"]: c for c in sa.inspect(db.engine).get_columns(table)}


def _is_time(column) -> bool:
    kind = column["type"]
    return isinstance(kind, TIME_TYPES) or "TIME" in str(kind).upper() \
        or "DATE" in str(kind).upper()


def test_answer_table_has_no_reference_to_a_person():
    inspector = sa.inspect(db.engine)
    assert "survey_responses" in inspector.get_table_names()
    referred = {fk["referred_table"] for fk in inspector.get_foreign_keys("survey_responses")}
    assert referred == {"organizations", "cohorts"}
    assert not referred & PERSON_TABLES
    for name in _columns("survey_responses"):
        assert not set(name.lower().split("_")) & set(PERSON_WORDS), name


def test_answer_table_has_no_time_column_and_no_ordered_id():
    columns = _columns("survey_responses")
    assert [name for name, c in columns.items() if _is_time(c)] == []
    assert not any(name.endswith(("_at", "_on", "_time")) or name in {"created", "updated"}
                   for name in columns)
    pk = sa.inspect(db.engine).get_pk_constraint("survey_responses")["constrained_columns"]
    assert pk == ["id"]
    # A random string id, never an autoincrementing integer that would record order.
    assert isinstance(columns["id"]["type"], sa.String)
    assert columns["id"].get("autoincrement") in (False, "auto", None)
    assert not isinstance(columns["id"]["type"], sa.Integer)
    assert "submitted_week" in columns and isinstance(columns["submitted_week"]["type"],
                                                       sa.String)


def test_completions_know_only_the_day_and_share_no_time_with_answers():
    completions = _columns("survey_completions")
    time_columns = {name: c for name, c in completions.items() if _is_time(c)}
    assert list(time_columns) == ["completed_on"]
    kind = time_columns["completed_on"]["type"]
    assert isinstance(kind, sa.Date) and not isinstance(kind, sa.DateTime)
    assert "TIME" not in str(kind).upper()
    answers = _columns("survey_responses")
    shared = set(answers) & set(completions)
    # What the two tables have in common: the row id name, organisation and wave; none is
    # a time, and neither id can be derived from the other (UUID text vs integer).
    assert shared == {"id", "org_id", "wave"}
    assert not any(_is_time(answers[name]) for name in shared)


def test_completion_unique_per_enrollment_and_wave():
    uniques = sa.inspect(db.engine).get_unique_constraints("survey_completions")
    assert any(u["column_names"] == ["enrollment_id", "wave"] for u in uniques)
