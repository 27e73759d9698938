"""PostgreSQL restarts (as after a crash) while participants are logging practice through
gunicorn: meanwhile every request answers 503 with a Retry-After hint and a page in
words, never a stack trace; afterwards requests succeed again, and every entry the app
confirmed before, during or after is stored."""
import datetime as dt
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.services import _free_port
from wellbeing.auth.models import PARTICIPANT, User
from wellbeing.auth.service import issue_link
from wellbeing.cohorts.models import ACTIVE, Cohort, Enrollment
from wellbeing.course.models import PracticeLog
from wellbeing.extensions import db

pytestmark = [pytest.mark.faults, pytest.mark.services, pytest.mark.tier2]
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 4


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)


class Person:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def call(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def sign_in(self, token: str) -> None:
        _, _, page = self.call(f"/signin/link/{token}")
        status, _, _ = self.call(f"/signin/link/{token}",
                                 {"csrf_token": _hidden(page, "csrf_token")})
        assert status == 302


@pytest.fixture
def web(app, own_postgres, own_redis, instance_dir):
    """gunicorn, two workers, on the faults' own PostgreSQL and Redis."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=own_postgres.url, REDIS_URL=own_redis.url,
               WELLBEING_INSTANCE=str(instance_dir), WELLBEING_ENV="test",
               SIGNIN_RATE_PER_ADDRESS="100000/minute", PYTHONPATH=str(ROOT))
    log = open(instance_dir / "gunicorn-faults.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "wellbeing.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=30).status == 200:
                break
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("gunicorn did not start:\n"
                    + (instance_dir / "gunicorn-faults.log").read_text())
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()


def _participants(org) -> list[str]:
    cohort = Cohort(org_id=org.id, name="Restart cohort", timezone="UTC",
                    start_date=dt.datetime.now(dt.UTC).date(), release_time=dt.time(0, 0))
    db.session.add(cohort)
    db.session.flush()
    tokens = []
    for n in range(PEOPLE):
        user = User(org_id=org.id, email=f"r{n}@example.com", name=f"R {n}", role=PARTICIPANT,
                    timezone="UTC")
        db.session.add(user)
        db.session.flush()
        db.session.add(Enrollment(org_id=org.id, cohort_id=cohort.id, user_id=user.id,
                                  status=ACTIVE))
        tokens.append(issue_link(user))
    db.session.commit()
    return tokens


class Load:
    """Each person logs practice over and over; every answer is kept."""

    def __init__(self, people):
        self.people, self.stop = people, threading.Event()
        self.answers: list[tuple[str, int, dict, str, str | None]] = []  # phase, status...
        self.phase = "before"
        self.lock = threading.Lock()

    def note(self, status, headers, page, token=None):
        with self.lock:
            self.answers.append((self.phase, status, headers, page, token))

    def run(self, person: Person):
        while not self.stop.is_set():
            status, headers, page = person.call("/course/practice")
            if status != 200:
                self.note(status, headers, page)
                time.sleep(0.05)  # pacing between attempts, not waiting for an event
                continue
            token = _hidden(page, "entry_token")
            slug = re.search(r'<option[^>]*value="([a-z0-9-]+)"', page).group(1)
            status, headers, page = person.call("/course/practice", {
                "csrf_token": _hidden(page, "csrf_token"), "entry_token": token,
                "day": dt.datetime.now(dt.UTC).date().isoformat(), "practice": slug,
                "minutes": "5", "note": ""})
            self.note(status, headers, page, token)

    def count(self, phase: str, status: int) -> int:
        with self.lock:
            return sum(1 for a in self.answers if a[0] == phase and a[1] == status)

    def wait_for(self, condition, what: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        pytest.fail(f"{what} did not happen within {seconds:.0f} s: "
                    f"{sorted({(a[0], a[1]) for a in self.answers})}")


def test_a_postgres_restart_under_load_answers_503_then_recovers_losing_nothing(
        app, org, web, own_postgres):
    tokens = _participants(org)
    people = [Person(web) for _ in tokens]
    for person, token in zip(people, tokens, strict=True):
        person.sign_in(token)
    load = Load(people)
    threads = [threading.Thread(target=load.run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    try:
        load.wait_for(lambda: load.count("before", 302) >= 8, "practice logged before")
        load.phase = "down"
        own_postgres.stop("immediate")
        load.wait_for(lambda: load.count("down", 503) >= 8, "503 answers while down")
        own_postgres.start()
        load.phase = "after"
        load.wait_for(lambda: load.count("after", 302) >= 8, "practice logged after restart")
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if not own_postgres.answers():
            own_postgres.start()
    statuses = {status for _, status, _, _, _ in load.answers}
    assert statuses <= {302, 503}, statuses  # no 500, no stack trace, nothing else
    for _, status, headers, page, _ in load.answers:
        if status == 503:
            assert headers.get("Retry-After") == "30"
            assert "Wellbeing is back in a moment" in page
            assert "send it again in a minute" in page and "Traceback" not in page
    acknowledged = {token for _, status, _, _, token in load.answers
                    if status == 302 and token}
    db.session.remove()  # the test's own pool lost its connections in the restart too
    db.engine.dispose()
    stored = set(db.session.scalars(sa.select(PracticeLog.entry_token)))
    assert acknowledged and acknowledged <= stored
