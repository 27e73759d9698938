"""Rate-limit counts in one SQLite file, shared by every process on this machine.

Flask-Limiter's in-memory storage counts per process, so gunicorn with three workers let
three times the configured sign-in attempts through. Without Redis, the embedded profile
keeps its counts here instead (`wellbeing-sqlite:///path/to/ratelimits.sqlite`). Keys are
stored as SHA-256 digests, so the file never holds an email address; it lives outside
`instance/` and may be deleted at any time (the counts start again).
"""
import hashlib
import os
import sqlite3
import threading
import time

from limits.storage import Storage

SCHEME = "wellbeing-sqlite"


class SQLiteStorage(Storage):
    """The fixed-window counter API of `limits` (incr, get, get_expiry), one row a key."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = (uri or "").removeprefix(f"{SCHEME}://")
        if not self.path:
            raise ValueError(f"{SCHEME}:// needs a file path, e.g. {SCHEME}:///tmp/limits.db")
        self._local = threading.local()

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        # One connection per thread and per process (gunicorn forks after import). The
        # plain rollback journal, not WAL: no shared-memory file that a process elsewhere
        # could remove under us; the writes are a row each, a lock held for microseconds.
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, "
                         "count INTEGER NOT NULL, expires_at REAL NOT NULL)")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _execute(self, sql: str, params=()) -> sqlite3.Cursor:
        """Run one statement; if the file went away or was replaced under this thread's
        connection (it may be deleted at any time), open it again and try once more."""
        try:
            return self._db().execute(sql, params)
        except sqlite3.OperationalError:
            conn, self._local.conn = self._local.conn, None
            if conn is not None:
                conn.close()
            return self._db().execute(sql, params)

    @staticmethod
    def _digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        # One statement, so two processes counting the same key at once cannot both read
        # the old count: SQLite serialises writers.
        (count,) = self._execute(
            "INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :expires) "
            "ON CONFLICT (key) DO UPDATE SET "
            " count = CASE WHEN expires_at <= :now THEN :amount ELSE count + :amount END,"
            " expires_at = CASE WHEN expires_at <= :now THEN :expires ELSE expires_at END "
            "RETURNING count",
            {"key": self._digest(key), "amount": amount, "expires": now + expiry, "now": now},
        ).fetchone()
        if count == amount:  # a new window: a good moment to drop the expired ones
            self._execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return count

    def _row(self, key: str):
        return self._execute(
            "SELECT count, expires_at FROM counters WHERE key = ? AND expires_at > ?",
            (self._digest(key), time.time())).fetchone()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        return self._execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._execute("DELETE FROM counters WHERE key = ?", (self._digest(key),))
