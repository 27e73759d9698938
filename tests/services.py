"""Fixtures for the real parts: an SMTP server, a Celery worker, a live web server and
Debian's Chromium. Outside CI a missing part skips its tests; with CI=true it fails them."""
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

__all__ = ["require", "smtp_server", "_smtp_session", "live_server", "browser", "page",
           "_playwright_browser", "celery_worker", "handed_to_worker",
           "IN_CI", "start_worker", "stop_worker"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available here")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self.raw = []  # (MAIL FROM, RCPT TO list, the bytes as they came over the wire)
        self.refuse = 0  # refuse the next N messages with a temporary error
        self.reject = set()  # addresses refused for good (550 at RCPT)
        self.connections = 0  # SMTP sessions opened (EHLO/HELO seen)
        self.delay = 0.0  # seconds to think before answering DATA
        self.in_data = threading.Event()  # set while a message waits for its answer

    def reset(self):
        self.messages.clear()
        self.raw.clear()
        self.refuse, self.reject, self.connections, self.delay = 0, set(), 0, 0.0
        self.in_data.clear()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio
            self.in_data.set()
            await asyncio.sleep(self.delay)
            self.in_data.clear()
            if server.transport is None or server.transport.is_closing():
                # The client is gone before hearing "250": like a real server, keep
                # nothing it could not confirm (RFC 5321 4.1.1.4).
                return "451 4.4.2 Connection lost"
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        import datetime as dt
        from email import message_from_bytes, policy
        message = message_from_bytes(envelope.content, policy=policy.default)
        # When it arrived by this process's clock (which a test may have moved).
        message.received_at = dt.datetime.now(dt.UTC)
        self.messages.append(message)
        self.raw.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture(scope="session")
def _smtp_session():
    from aiosmtpd.controller import Controller

    from tests.conftest import ALLOWED_SMTP
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    ALLOWED_SMTP.add(("127.0.0.1", port))
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_server(app, _smtp_session, monkeypatch):
    """A real SMTP server on loopback; the app sends to it for this test."""
    _smtp_session.reset()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", _smtp_session.port)
    return _smtp_session


@pytest.fixture
def live_server(app, monkeypatch):
    """The app served over real HTTP on loopback, with CSRF on as in production."""
    from werkzeug.serving import make_server

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    port = _free_port()
    monkeypatch.setitem(app.config, "BASE_URL", f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def _playwright_browser():
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(_playwright_browser):
    return _playwright_browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def start_worker(app, smtp_port: int, instance_dir, log_name: str = "worker.log",
                 queues: str = "urgent,celery", launcher: tuple = ("-m", "celery"),
                 extra_env: dict | None = None) -> subprocess.Popen:
    """A real `celery -A tasks worker` process on the test database and broker
    (`launcher` may start it through a wrapper module that takes the same arguments)."""
    env = dict(os.environ)
    env.update({
        "WELLBEING_INSTANCE": str(instance_dir),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
        "WELLBEING_ENV": "test",
    })
    if app.config.get("REDIS_URL"):
        env["REDIS_URL"] = app.config["REDIS_URL"]
    else:
        env.pop("REDIS_URL", None)
    env.update(extra_env or {})
    log_path = instance_dir / log_name
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, *launcher, "-A", "tasks", "worker", "--concurrency=1",
         f"--queues={queues}", "--hostname", f"{log_name}@%h",
         "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if "ready." in log_path.read_text():
            return process
        time.sleep(0.2)
    process.kill()
    pytest.fail("Celery worker did not start:\n" + log_path.read_text())


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker(app, _smtp_session, instance_dir):
    """A real `celery -A tasks worker` process on the test database and broker."""
    process = start_worker(app, _smtp_session.port, instance_dir)
    yield process
    stop_worker(process)


@pytest.fixture
def handed_to_worker(app, monkeypatch):
    """The app enqueues after commit onto queues of its own on the real broker (Redis on
    the PostgreSQL tier, the folder broker on SQLite) that no worker reads: one for bulk
    work, one standing in for the urgent queue. Calling the fixture takes out what was
    sent, as task names in order (urgent first); taken("urgent") or taken("bulk") reads
    only that queue."""
    import uuid

    from celery import Celery
    queue = f"handoff-test-{uuid.uuid4().hex}"
    urgent = f"{queue}-urgent"
    celery = Celery("handoff-test")
    celery.config_from_object(app.config["CELERY"])
    celery.conf.task_default_queue = queue
    monkeypatch.setitem(app.extensions, "celery", celery)
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    monkeypatch.setitem(app.config, "URGENT_QUEUE", urgent)

    def drain(name: str) -> list[str]:
        names = []
        with celery.connection_for_read() as connection:
            simple = connection.SimpleQueue(name)
            while True:
                try:
                    message = simple.get(block=False)
                except simple.Empty:
                    break
                names.append(message.headers["task"])
                message.ack()
            simple.close()
        return names

    def taken(which: str = "all") -> list[str]:
        names = drain(urgent) if which in ("all", "urgent") else []
        return names + (drain(queue) if which in ("all", "bulk") else [])
    yield taken
    with celery.connection_for_write() as connection:
        for name in (queue, urgent):
            connection.SimpleQueue(name).queue.delete()


def which(name: str) -> bool:
    return shutil.which(name) is not None
