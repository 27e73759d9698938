"""The README's first command: `wellbeing run` brings up web, worker and beat together on
embedded defaults with the demo organisation, and stops them all on Ctrl+C."""
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child_pid(parent: int, role: str) -> int:
    found = subprocess.run(["pgrep", "-P", str(parent), "-f", f"celery -A tasks {role}"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert len(found) == 1, found
    return int(found[0])


def _request_link(base, email):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(base + "/signin").read().decode()
    token = re.search(r'name="link-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"link-csrf_token": token, "link-email": email}).encode()
    assert "Check your email" in opener.open(base + "/signin/link", data=data).read().decode()


def test_wellbeing_run_serves_the_demo_with_worker_and_beat(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "SMTP_HOST", "WELLBEING_ENV"}}
    env["WELLBEING_INSTANCE"] = str(tmp_path)
    env["WELLBEING_KEYS"] = f"{tmp_path}-keys"  # a fresh installation has its own keys
    wellbeing = Path(sys.executable).with_name("wellbeing")
    process = subprocess.Popen([str(wellbeing), "run", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    health = None
    try:
        deadline = time.monotonic() + 180  # the demo is made first: slow when loaded
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.load(r)
            except OSError:
                time.sleep(0.3)  # waiting for the child processes to start
        assert {key: health[key] for key in ("status", "database", "broker")} == \
            {"status": "ok", "database": "ok", "broker": "ok"}
        # The worker consumes from the folder queue: a sign-in link requested over HTTP
        # arrives in the mail folder.
        _request_link(f"http://127.0.0.1:{port}", "alex.rivera@northwind.example.com")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list((tmp_path / "mail").glob("*.eml")):
            time.sleep(0.3)  # waiting for the worker process
        [mail] = (tmp_path / "mail").glob("*.eml")
        text = message_from_bytes(mail.read_bytes(), policy=policy.default) \
            .get_body(("plain",)).get_content()  # as a mail client reads it
        link = re.search(r"http://127\.0\.0\.1:\d+/signin/link/(\S+)", text)
        token = link.group(1)
        assert urllib.request.urlopen(link.group(0)).status == 200
        # A worker that dies is started again, and the next email still goes out.
        os.kill(_child_pid(process.pid, "worker"), signal.SIGKILL)
        _request_link(f"http://127.0.0.1:{port}", "alex.rivera@northwind.example.com")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list((tmp_path / "mail").glob("*.eml"))) < 2:
            time.sleep(0.3)  # waiting for the restarted worker process
        assert len(list((tmp_path / "mail").glob("*.eml"))) == 2
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert f"Open http://127.0.0.1:{port}/ in your browser." in output
    assert "hr@northwind.example.com" in output
    assert "celery@" in output and "beat: Starting" in output
    assert "The worker process stopped (exit -9); starting it again." in output
    assert process.returncode == 0
    assert "/signin/link/[redacted]" in output
    assert token not in output  # no secret in the access log
    # Every mail's links, the demo's written before the server started too, name the
    # port it served on.
    with sqlite3.connect(tmp_path / "wellbeing.db") as database:
        bodies = [row[0] or "" for row in database.execute(
            "SELECT body_text FROM outbox_messages")]
    ports = re.findall(r"http://127\.0\.0\.1:(\d+)/", "\n".join(bodies))
    assert len(bodies) > 5 and ports and set(ports) == {str(port)}
