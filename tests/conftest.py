"""Test fixtures: a fresh app and a migrated database per session, emptied after each test.

Tiers: SQLite by default; PostgreSQL + Redis when TEST_DATABASE_URL / TEST_REDIS_URL are
set (the README's test command runs both). With CI=true a missing service fails the test
instead of skipping it.
"""
import os
import smtplib
from pathlib import Path

import pytest
from flask import g
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from sqlalchemy import text

from tests.factories import *  # noqa: F401,F403 - factory fixtures
from tests.services import *  # noqa: F401,F403 - real SMTP, worker, browser fixtures

os.environ.setdefault("WELLBEING_ENV", "test")


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["WELLBEING_INSTANCE"] = str(path)
    # The embedded profile's generated keys, outside instance/ as in a real installation
    # (by default they would go to ~/.config/wellbeing/).
    os.environ["WELLBEING_KEYS"] = str(tmp_path_factory.mktemp("keys"))
    # Where the embedded profile counts rate limits (a SQLite file shared by processes).
    os.environ["WELLBEING_STATE"] = str(tmp_path_factory.mktemp("state"))
    return path


@pytest.fixture(scope="session")
def app(instance_dir):
    from wellbeing import create_app
    from wellbeing.cli.provision import upgrade_database

    redis_url = os.environ.get("TEST_REDIS_URL")
    overrides = {
        "PROFILE": "test",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_dir),
        "WTF_CSRF_ENABLED": False,
        "ENQUEUE_AFTER_COMMIT": False,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }
    if redis_url:
        overrides["REDIS_URL"] = redis_url
    _empty_postgres(overrides["SQLALCHEMY_DATABASE_URI"])
    app = create_app(overrides)
    app.session_interface = _TimelessSessions()

    @app.teardown_request
    def _forget_signed_in_user(_exc):
        # Tests keep one app context open, which Flask reuses for every request; without
        # this the signed-in user cached in `g` would leak from one request to the next.
        g.pop("_login_user", None)
    app.extensions["session_ratelimit_storage"] = _limiter_state()
    with app.app_context():
        upgrade_database()
    yield app


def _limiter_state():
    from wellbeing.extensions import limiter
    return limiter._storage, limiter._limiter


def _restore_limiter(app):
    """Flask-Limiter keeps one storage per process, taken from the app initialised last. A
    test that builds an app of its own (often on memory://) would otherwise leave the
    session's app counting there: put the session's storage (the SQLite file, or Redis in
    tier 2) back."""
    from wellbeing.extensions import limiter
    saved = app.extensions.get("session_ratelimit_storage")
    if saved:  # an area's own app (tests/faults) keeps the storage it was made with
        limiter._storage, limiter._limiter = saved


def _empty_postgres(url: str) -> None:
    """Start from an empty schema before the app is made: every session has a new
    PAIRING_KEY (a fresh keys folder), and the app refuses to start on answers, or a key
    check value, that an interrupted earlier run left under another key."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


class _TimelessSessions(SecureCookieSessionInterface):
    """Session cookies carry a signing time, and one signed "in the future" is refused.
    Tests move the clock (time_machine) after signing in; the signature is still checked,
    only its age is not."""

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            return self.session_class(self.get_signing_serializer(app).loads(value))
        except BadSignature:
            return self.session_class()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts from empty tables (the schema stays, built by migrations)."""
    from wellbeing.extensions import db, limiter

    ctx = app.app_context()
    ctx.push()
    yield
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    _restore_limiter(app)
    limiter.reset()
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


ALLOWED_SMTP: set[tuple[str, int]] = set()


@pytest.fixture(autouse=True)
def _no_unexpected_smtp(monkeypatch):
    """A test may only talk to an SMTP server a fixture started for it."""
    real_connect = smtplib.SMTP.connect

    def guarded(self, host="localhost", port=0, source_address=None):
        if (host, int(port)) not in ALLOWED_SMTP:
            pytest.fail(f"test tried to reach a mail server it did not start: {host}:{port}")
        return real_connect(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)
