"""Sign-in limits hold at the configured number under gunicorn with several workers: the
counts live where every worker sees them (a SQLite file without Redis, Redis with it), not
in each process's memory, where three workers let three times the attempts through."""
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.services import _free_port
from wellbeing.auth.models import ADMIN

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def gunicorn(app, tmp_path_factory):
    """Real gunicorn, 3 workers, the embedded profile on this tier's database (and Redis in
    tier 2), behind one trusted proxy so each test sends from an address of its own."""
    port, tmp_path = _free_port(), tmp_path_factory.mktemp("gunicorn")
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SMTP_HOST"}}
    env.update(WELLBEING_ENV="embedded", TRUSTED_PROXIES="1",
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               WELLBEING_INSTANCE=str(tmp_path / "instance"),
               WELLBEING_STATE=str(tmp_path / "state"))
    if app.config["REDIS_URL"]:
        env["REDIS_URL"] = app.config["REDIS_URL"]
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}",
         "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(p)s %(m)s %(s)s",
         "wellbeing.wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, process)
        yield base, tmp_path / "gunicorn.log"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _wait_until_serving(base, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except OSError:
            assert process.poll() is None, "gunicorn stopped"
            time.sleep(0.2)  # waiting for the process to start
    pytest.fail("gunicorn did not answer within a minute")


class _Browser:
    """One person's cookies and form token, posting from `address` through the proxy."""

    def __init__(self, base, address):
        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(),
                                                  _NoRedirect())
        page = self.opener.open(self._request("/signin")).read().decode()
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                               page).group(1)

    def _request(self, path, data=None):
        return urllib.request.Request(self.base + path, data=data,
                                      headers={"X-Forwarded-For": self.address})

    def sign_in(self, email, password):
        data = urllib.parse.urlencode({"csrf_token": self.token, "email": email,
                                       "password": password}).encode()
        try:
            return self.opener.open(self._request("/signin", data)).status
        except urllib.error.HTTPError as answer:
            return answer.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _workers_that_answered_posts(log: Path) -> set[str]:
    return {line.split()[0] for line in log.read_text().splitlines()
            if line.split()[1:2] == ["POST"]}


def test_forty_sign_in_posts_from_one_address_pass_twenty_across_three_workers(gunicorn):
    base, log = gunicorn
    browser = _Browser(base, "203.0.113.20")
    # No password: refused at once, so the forty fit in the minute on a loaded machine.
    # Four at a time: one after another, a single idle worker could take every post (the
    # kernel hands a new connection to whichever worker waits), and the test would not
    # show the limit holding across workers.
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda n: browser.sign_in(f"someone{n}@example.com", ""),
                              range(40)))
    assert codes.count(400) == 20, codes  # the configured 20/minute, not 20 per worker
    assert codes.count(429) == 20, codes
    assert len(_workers_that_answered_posts(log)) > 1  # the posts were shared out


def test_seven_wrong_passwords_for_one_account_pass_five_across_three_workers(
        gunicorn, make_user):
    make_user(ADMIN, email="hr@example.com", password="correct horse battery")
    base, log = gunicorn
    browser = _Browser(base, "203.0.113.7")
    codes = [browser.sign_in("hr@example.com", "wrong") for _ in range(7)]
    assert codes == [400] * 5 + [429] * 2
    # Locked for the account, whichever worker answers: the right password waits too.
    assert browser.sign_in("hr@example.com", "correct horse battery") == 429
