"""The answer table, as the real database has it, cannot point at a person or a moment;
neither can the sealed answers waiting for their wave to close, and completions keep no
time at all."""
import pytest
import sqlalchemy as sa

from wellbeing.extensions import db

PERSON_TABLES = {"users", "enrollments", "login_tokens", "survey_completions",
                 "cohort_facilitators", "module_progress", "outbox_messages", "audit_events"}
PERSON_WORDS = ("user", "email", "ip", "address", "enrollment", "name", "person",
                "participant", "agent", "session")
TIME_TYPES = (sa.DateTime, sa.Date, sa.Time, sa.Interval)
ANSWER_TABLES = {
    "survey_responses": {"id", "org_id", "cohort_id", "wave", "instrument", "respondent", "pairing",
                         "answers", "scores"},
    "sealed_answers": {"id", "org_id", "cohort_id", "wave", "owner", "sealed"},
}


def _columns(table):
    return {c["name"]: c for c in sa.inspect(db.engine).get_columns(table)}


def _is_time(column) -> bool:
    kind = column["type"]
    return isinstance(kind, TIME_TYPES) or "TIME" in str(kind).upper() \
        or "DATE" in str(kind).upper()


@pytest.mark.parametrize("table", ANSWER_TABLES)
def test_answer_tables_have_no_reference_to_a_person(table):
    inspector = sa.inspect(db.engine)
    assert table in inspector.get_table_names()
    referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
    assert referred == {"organizations", "cohorts"}
    assert not referred & PERSON_TABLES
    for name in _columns(table):
        assert not set(name.lower().split("_")) & set(PERSON_WORDS), name


@pytest.mark.parametrize("table", ANSWER_TABLES)
def test_answer_tables_have_no_time_column_and_no_ordered_id(table):
    columns = _columns(table)
    # Every column named: a new one (a week, a batch number) must be thought about here.
    assert set(columns) == ANSWER_TABLES[table]
    assert [name for name, c in columns.items() if _is_time(c)] == []
    pk = sa.inspect(db.engine).get_pk_constraint(table)["constrained_columns"]
    assert pk == ["id"]
    # A random string id, never an autoincrementing integer that would record order.
    assert isinstance(columns["id"]["type"], sa.String)
    assert columns["id"].get("autoincrement") in (False, "auto", None)
    assert not isinstance(columns["id"]["type"], sa.Integer)


def test_completions_keep_no_time_and_share_nothing_with_answers_but_the_wave():
    completions = _columns("survey_completions")
    # Who completed which wave; not when (not even the day: a day or a week met the
    # answers' week and named whoever answered alone in it).
    assert set(completions) == {"id", "org_id", "enrollment_id", "wave"}
    assert [name for name, c in completions.items() if _is_time(c)] == []
    answers = _columns("survey_responses")
    # The row id name, organisation and wave; neither id can be derived from the other
    # (UUID text vs integer).
    assert set(answers) & set(completions) == {"id", "org_id", "wave"}


def test_completion_unique_per_enrollment_and_wave():
    uniques = sa.inspect(db.engine).get_unique_constraints("survey_completions")
    assert any(u["column_names"] == ["enrollment_id", "wave"] for u in uniques)


def test_embedded_database_keeps_answers_in_random_id_order_not_insertion_order(tmp_path):
    """On SQLite a table scan returns rows in storage order. Stored by rowid, that would be
    insertion order, lining each answer up with its completion; stored WITHOUT ROWID, it
    is the order of the random ids. (Run on a fresh SQLite file in both test tiers.)"""
    import uuid

    from flask_migrate import upgrade

    from wellbeing import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'order.db'}",
                      "TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        upgrade()
        engine = db.engine
        with engine.connect() as conn:
            # Only the answer table matters here; its organisation and cohort need not exist.
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            org, cohort = 1, 1
            inserted = [str(uuid.uuid4()) for _ in range(12)]
            for n, answer_id in enumerate(inserted):
                conn.execute(sa.text(
                    "INSERT INTO survey_responses (id, org_id, cohort_id, wave, instrument, "
                    "respondent, pairing, answers, scores) VALUES (:id, :o, :c, "
                    "'pre', 'PSS-10', :k, x'00', '{}', '{}')"),
                    {"id": answer_id, "o": org, "c": cohort, "k": f"key{n}"})
            conn.commit()
            # All columns, as a dump reads them (a bare "SELECT id" would read an index).
            scanned = [row[0] for row in conn.execute(sa.text(
                "SELECT id, answers FROM survey_responses NOT INDEXED"))]
        engine.dispose()
    assert scanned == sorted(inserted)
