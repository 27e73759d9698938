"""Pooled database connections that died (a database restart, a network cut) are
replaced before a request uses them.

SQLAlchemy's pool_pre_ping pays a round trip to the database on every checkout, that is
on every request. Here only a connection that sat idle in the pool for IDLE_SECONDS is
pinged: a busy pool, whose connections were just used successfully, skips the ping. A
connection that fails the ping is discarded and the pool opens a fresh one."""
import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SECONDS = 10.0


def install(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":  # a file, not a server: nothing to lose
        return
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from_now(dbapi_connection, record):
        record.info["idle_since"] = time.time()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.time() - idle_since < IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out (or opens) another.
            raise exc.DisconnectionError("stale pooled connection") from error
