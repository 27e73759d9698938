"""The backup procedure of docs/operator.md, run for real: pg_dump of a working
database, restored into a fresh one, and Wellbeing runs on the copy: a participant signs
in and finds their own answers, /healthz is green, and the copy still refuses another
PAIRING_KEY (the key's check value travels with the backup; the key itself does not)."""
import subprocess
import uuid

import psycopg
import pytest
import time_machine

from tests.services import require, which
from tests.surveys.helpers import BEFORE_START, IN_WEEK_1, START, default_answers
from wellbeing import create_app
from wellbeing.auth.service import issue_link
from wellbeing.extensions import db
from wellbeing.surveys import key_check, release, service

pytestmark = [pytest.mark.tier2]


def _plain_url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://",
                                                         "postgresql://")


@pytest.fixture
def fresh_database(app):
    url = _plain_url(app)
    base, _ = url.rsplit("/", 1)
    name = f"wellbeing_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_pg_dump_restored_into_a_fresh_database_runs_wellbeing(
        app, org, make_cohort, make_user, enroll, fresh_database, tmp_path):
    require(db.engine.dialect.name == "postgresql", "PostgreSQL (TEST_DATABASE_URL)")
    require(which("pg_dump") and which("pg_restore"), "pg_dump and pg_restore")
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        people = [enroll(make_user(org=org), cohort) for _ in range(3)]
    for n, person in enumerate(people):
        answers = {code: dict(enumerate(values, start=1)) for code, values
                   in default_answers(pss=[n] * 10).items()}
        assert service.submit_wave(person, "pre", answers, IN_WEEK_1)
    release.release_wave(cohort.id, "pre")
    key_check.verify(app.config["PAIRING_KEY"])  # as at the app's first start
    mine = {person.user.email: service.own_responses(person)["pre"]["PSS-10"].scores["total"]
            for person in people}
    db.session.remove()

    # docs/operator.md, "Backups": the dump and the restore, as written there.
    dump = tmp_path / "wellbeing.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}",
                    _plain_url(app)], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                    f"--dbname={fresh_database}", str(dump)], check=True)

    overrides = {"PROFILE": "test", "TESTING": True, "WTF_CSRF_ENABLED": False,
                 "SQLALCHEMY_DATABASE_URI": fresh_database, "REDIS_URL": app.config["REDIS_URL"],
                 "RATELIMIT_STORAGE_URI": "memory://", "ENQUEUE_AFTER_COMMIT": False,
                 "PAIRING_KEY": app.config["PAIRING_KEY"]}
    with pytest.raises(key_check.WrongPairingKey):
        create_app({**overrides, "PAIRING_KEY": "a key that is not the one " * 2})
    copy = create_app(overrides)
    with copy.app_context():
        from wellbeing.cli.provision import upgrade_database
        upgrade_database()  # the copy is at the newest revision already: nothing to do
        client = copy.test_client()
        assert client.get("/healthz").get_json()["database"] == "ok"
        from wellbeing.cohorts.models import Enrollment
        for person in db.session.scalars(db.select(Enrollment)):
            token = issue_link(person.user)
            db.session.commit()
            signed_in = copy.test_client()
            assert signed_in.post(f"/signin/link/{token}").status_code == 302
            assert signed_in.get("/surveys/results").status_code == 200
            own = service.own_responses(person)["pre"]["PSS-10"].scores["total"]
            assert own == mine[person.user.email]
        db.session.remove()
