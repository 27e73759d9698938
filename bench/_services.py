"""What the benchmarks share: a free port, a server waited for, a fresh PostgreSQL
database, CPU time read from /proc, reading a form's hidden fields and not following
redirects. Benchmarks run as scripts (`python bench/x.py`), so this is imported as a
sibling."""
import os
import re
import socket
import time
import urllib.request
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(process, port: int, what: str) -> None:
    """Until `process` answers on `port` (a minute at most; it must not have exited)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{what} did not start on port {port}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)


def fresh_database(dsn: str, floor_table: bool = True) -> None:
    """Drop and create the database `dsn` names (each run starts empty, with keys of its
    own), and the floor's answers table in it."""
    dsn = dsn.replace("postgresql+psycopg://", "postgresql://")
    base, name = dsn.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    if floor_table:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE floor_answers (id uuid PRIMARY KEY, answers jsonb)")


def _stat(path: Path) -> list[str] | None:
    try:
        return path.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pids) -> float:
    """User + system CPU time the processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = _stat(Path(f"/proc/{pid}/stat"))
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(parent_pid: int) -> float:
    """CPU time used so far by a server and its direct children (gunicorn's master and
    workers). Per request it is the cost that waiting for a shared core hides."""
    pids = [parent_pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(stat)
        if fields and fields[1] == str(parent_pid):
            pids.append(int(stat.parent.name))
    return cpu_seconds(pids)
