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
                    "pairing_key, answers, scores, submitted_week) VALUES (:id, :o, :c, "
                    "'pre', 'PSS-10', :k, '{}', '{}', '2026-W48')"),
                    {"id": answer_id, "o": org, "c": cohort, "k": f"key{n}"})
            conn.commit()
            # All columns, as a dump reads them (a bare "SELECT id" would read an index).
            scanned = [row[0] for row in conn.execute(sa.text(
                "SELECT id, answers FROM survey_responses NOT INDEXED"))]
        engine.dispose()
    assert scanned == sorted(inserted)


def test_the_hourly_rewrite_unpairs_answers_from_completions(make_cohort, enroll, make_user,
                                                             org):
    """On PostgreSQL, answers written with a completion share its transaction id (xmin);
    after the rewrite they share one new id, and every answer is still there once."""
    import time_machine

    from tests.surveys.helpers import BEFORE_START, IN_WEEK_1, START, default_answers
    from wellbeing.surveys import service
    from wellbeing.surveys.models import SurveyResponse
    from wellbeing.surveys.shuffle import shuffle_answers

    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enrollments = [enroll(make_user(org=org), cohort) for _ in range(4)]
    answers = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}
    for enrollment in enrollments:
        assert service.submit_wave(enrollment, "pre", answers, IN_WEEK_1)
    before = {(r.id, r.pairing_key) for r in db.session.scalars(sa.select(SurveyResponse))}
    postgres = db.engine.dialect.name == "postgresql"
    xmin = "SELECT DISTINCT xmin::text FROM {}"
    if postgres:
        paired = {row[0] for row in db.session.execute(sa.text(xmin.format("survey_responses")))}
        assert paired <= {row[0] for row in db.session.execute(
            sa.text(xmin.format("survey_completions")))}  # the weakness being fixed
    db.session.commit()  # the rewrite locks the table; end this session's transaction
    assert shuffle_answers() == (8 if postgres else 0)
    after = {(r.id, r.pairing_key) for r in db.session.scalars(sa.select(SurveyResponse))}
    assert after == before
    if postgres:
        rewritten = {row[0] for row in db.session.execute(
            sa.text(xmin.format("survey_responses")))}
        assert len(rewritten) == 1 and not rewritten & {row[0] for row in db.session.execute(
            sa.text(xmin.format("survey_completions")))}
