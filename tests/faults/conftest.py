"""Fault runs bring their own PostgreSQL (initdb, pg_ctl) and Redis (redis-server) on spare
ports, so that restarting them disturbs nobody else's tests. Outside CI, missing server
binaries skip these tests; with CI=true they fail them (tests/services.require)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.services import _free_port, require

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return None


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and the server refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.getuid() == 0 else argv


def _wait_until(ready, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not come up within {seconds:.0f} s")


class OwnPostgres:
    def __init__(self, root: Path):
        self.data, self.port = root / "data", _free_port()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/wellbeing"
        self.pg_ctl = _binary("pg_ctl")
        subprocess.run(_as_postgres([_binary("initdb"), "-D", str(self.data), "-A", "trust",
                                     "-U", "postgres", "--no-sync"]),
                       check=True, capture_output=True)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=100")
        subprocess.run(_as_postgres([self.pg_ctl, "-D", str(self.data), "-o", options, "-l",
                                     str(self.data / "server.log"), "-w", "start"]),
                       check=True, capture_output=True)
        _wait_until(self.answers, "PostgreSQL")

    def stop(self, mode: str = "immediate") -> None:
        """`immediate` is a crash as far as PostgreSQL knows: it recovers from its WAL on
        the next start, and what it confirmed as committed must still be there."""
        subprocess.run(_as_postgres([self.pg_ctl, "-D", str(self.data), "-m", mode, "-w",
                                     "stop"]), check=True, capture_output=True)

    def answers(self) -> bool:
        try:
            psycopg.connect(self.admin_url, connect_timeout=1).close()
            return True
        except psycopg.OperationalError:
            return False


class OwnRedis:
    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        # No persistence: a restart loses every queued task, the worst case for the broker.
        self.process = subprocess.Popen(
            [_binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until(self.answers, "redis-server")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def answers(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False


@pytest.fixture(scope="session")
def own_postgres():
    require(bool(_binary("initdb") and _binary("pg_ctl")),
            "PostgreSQL server binaries (initdb, pg_ctl)")
    require(os.getuid() != 0 or bool(shutil.which("runuser")), "runuser (to run as postgres)")
    root = Path(tempfile.mkdtemp(prefix="wellbeing-faults-pg-"))
    if os.getuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = OwnPostgres(root)
    server.start()
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE wellbeing")
    yield server
    if server.answers():
        server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def own_redis():
    require(bool(_binary("redis-server")), "redis-server")
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app(instance_dir, own_postgres, own_redis):
    """The app of these tests, on their own PostgreSQL and Redis (not the shared ones)."""
    from wellbeing import create_app
    from wellbeing.cli.provision import upgrade_database
    app = create_app({
        "PROFILE": "test", "TESTING": True, "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": own_postgres.url, "REDIS_URL": own_redis.url,
        "ENQUEUE_AFTER_COMMIT": False, "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "http://localhost", "SERVER_NAME": None,
    })
    with app.app_context():
        upgrade_database()
    yield app
