"""A pooled PostgreSQL connection that died is replaced before use, and a connection the
pool handed out a moment ago is reused without a round trip to check it."""
import datetime as dt
import os

import psycopg
import pytest
import time_machine
from sqlalchemy import create_engine, text

from tests.services import require
from wellbeing.core.db_liveness import IDLE_SECONDS, install

PG_URL = os.environ.get("TEST_DATABASE_URL",
                        "postgresql://postgres@127.0.0.1:5432/wellbeing_test")


@pytest.fixture
def engine():
    try:
        psycopg.connect(PG_URL, connect_timeout=2).close()
    except psycopg.OperationalError:
        require(False, "PostgreSQL")
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"),
                           pool_size=1, max_overflow=0)
    install(engine)
    yield engine
    engine.dispose()


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


def _last_statement(pid: int) -> str:
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        return admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s",
                             (pid,)).fetchone()[0]


def test_a_connection_killed_while_idle_is_replaced_before_use(engine):
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        first = _backend_pid(engine)
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first,))
        clock.shift(dt.timedelta(seconds=IDLE_SECONDS + 1))
        second = _backend_pid(engine)  # would raise OperationalError without the check
    assert second != first


def test_a_connection_used_a_moment_ago_is_not_pinged(engine):
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        pid = _backend_pid(engine)
        returned = _last_statement(pid)  # what the pool ran when the connection came back
        clock.shift(dt.timedelta(seconds=IDLE_SECONDS - 1))
        with engine.connect():
            assert _last_statement(pid) == returned
        clock.shift(dt.timedelta(seconds=IDLE_SECONDS + 1))
        with engine.connect():  # idle long enough: checked with one round trip
            assert _last_statement(pid) != returned
