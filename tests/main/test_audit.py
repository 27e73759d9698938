"""scripts/audit.sh (run by scripts/test.sh): a known vulnerability fails the run, and a
machine that reaches no vulnerability service says NOT AUDITED instead of passing quietly.
An OSV-shaped server on loopback stands in for api.osv.dev, and a server shaped like
PyPI's project JSON for the last source; PyPI itself is made unreachable with a proxy on
a closed port, so the script falls through to them."""
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def _serve(answer):
    """A JSON server on loopback: `answer(method, path, body)` gives the reply, or None
    for 404."""
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            reply = answer(method, self.path, self.rfile.read(length) if length else b"")
            if reply is None:
                self.send_error(404)
                return
            body = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - the http.server name
            self._reply("GET")

        def do_POST(self):  # noqa: N802 - the http.server name
            self._reply("POST")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _osv_server(vulnerable: str | None):
    def answer(method, path, body):
        name = json.loads(body)["package"]["name"]
        return {} if name != vulnerable else {"vulns": [{
            "id": "PYSEC-0000-1", "summary": "a made-up hole",
            "affected": [{"package": {"name": name, "ecosystem": "PyPI"},
                          "ranges": [{"type": "ECOSYSTEM",
                                      "events": [{"introduced": "0"}]}]}]}]}
    return _serve(answer)


def _project_json_server(vulnerable=None, behind=None, withdrawn=None):
    """Answers /pypi/<name>/json as PyPI does: the latest release and its known
    vulnerabilities. Every installed package is at its latest release, except `behind`."""
    versions = {dist.metadata["Name"].lower(): dist.version
                for dist in metadata.distributions()}

    def answer(method, path, body):
        name = path.split("/")[-2].lower()
        latest = "99.0" if name == behind else versions.get(name)
        if latest is None:
            return None
        vulns = []
        if name in (vulnerable, withdrawn):
            vulns = [{"id": "PYSEC-0000-2", "fixed_in": ["99.0"],
                      "withdrawn": "2026-01-01T00:00:00Z" if name == withdrawn else None}]
        return {"info": {"name": name, "version": latest}, "vulnerabilities": vulns}
    return _serve(answer)


def _audit(osv_url, **extra):
    env = {k: v for k, v in os.environ.items() if k != "WELLBEING_AUDIT"}
    env.update(VENV=str(Path(sys.executable).parent.parent), WELLBEING_OSV_URL=osv_url,
               HTTPS_PROXY="http://127.0.0.1:1", https_proxy="http://127.0.0.1:1",
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", **extra)
    return subprocess.run(["bash", "scripts/audit.sh"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def osv():
    servers = []

    def start(vulnerable=None):
        servers.append(_osv_server(vulnerable))
        return f"http://127.0.0.1:{servers[-1].server_port}/v1/query"
    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def project_json():
    servers = []

    def start(**kwargs):
        servers.append(_project_json_server(**kwargs))
        return f"http://127.0.0.1:{servers[-1].server_port}/pypi"
    yield start
    for server in servers:
        server.shutdown()


def test_a_known_vulnerability_fails_the_audit_and_is_named(osv):
    run = _audit(osv(vulnerable="flask"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "flask" in run.stdout.lower() and "PYSEC-0000-1" in run.stdout


def test_a_service_that_answers_for_every_package_passes_the_audit(osv):
    run = _audit(osv())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Audited with pip-audit (osv): no known vulnerabilities." in run.stdout


def test_no_reachable_service_is_reported_as_not_audited_never_as_clean():
    closed = "http://127.0.0.1:1/v1/query"
    run = _audit(closed, WELLBEING_PYPI_JSON_URL="http://127.0.0.1:1/pypi")
    assert run.returncode == 0
    assert run.stdout.startswith("NOT AUDITED: ") and "no known vulnerabilities" not in run.stdout
    assert _audit(closed, WELLBEING_PYPI_JSON_URL="http://127.0.0.1:1/pypi",
                  WELLBEING_AUDIT="required").returncode == 1


CLOSED_OSV = "http://127.0.0.1:1/v1/query"


def test_pypi_project_data_audits_every_package_at_its_latest_release(project_json):
    run = _audit(CLOSED_OSV, WELLBEING_PYPI_JSON_URL=project_json(withdrawn="flask"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Audited against PyPI's project data:" in run.stdout
    assert "no known vulnerabilities" in run.stdout and "NOT AUDITED" not in run.stdout


def test_a_vulnerability_in_pypi_project_data_fails_and_is_named(project_json):
    run = _audit(CLOSED_OSV, WELLBEING_PYPI_JSON_URL=project_json(vulnerable="flask"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "flask" in run.stdout.lower() and "PYSEC-0000-2" in run.stdout


def test_a_package_behind_its_latest_release_is_named_as_not_audited(project_json):
    url = project_json(behind="flask")
    run = _audit(CLOSED_OSV, WELLBEING_PYPI_JSON_URL=url)
    assert run.returncode == 0, run.stdout + run.stderr
    not_audited = run.stdout.split("NOT AUDITED: ", 1)[1]
    assert f"flask {metadata.version('flask')} (latest 99.0)" in not_audited.lower()
    assert _audit(CLOSED_OSV, WELLBEING_PYPI_JSON_URL=url,
                  WELLBEING_AUDIT="required").returncode == 1
