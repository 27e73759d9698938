"""Concurrent survey submissions through the real app (gunicorn + PostgreSQL), against a
floor measured in the same run (a minimal Flask endpoint doing one INSERT of the same
answers under the same gunicorn), and a second floor, the signed-in floor: the same
INSERT behind what every form post through the app must pay first (session, sign-in
check, CSRF; bench/signed_in_app.py). Prints req/s, p50, p99, both ratios (the goal, 0.5, is set
against the signed-in floor), and the stored count, which must equal the acknowledged
submissions.

    .venv/bin/python bench/survey_submit.py [participants] [client threads]
DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/wellbeing_bench (created).
"""
import datetime as dt
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from _services import (
    NoRedirect,
    free_port,
    fresh_database,
    hidden,
    tree_cpu_seconds,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parent.parent
DSN = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/wellbeing_bench")
PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 16
WORKERS = "4"


def seed(instance: Path) -> list[str]:
    """Migrate, then one organisation, one cohort in its pre-survey week, and
    PARTICIPANTS enrolled people with a sign-in token each."""
    os.environ.update(DATABASE_URL=DSN, WELLBEING_INSTANCE=str(instance))
    sys.path.insert(0, str(ROOT))
    from wellbeing import create_app
    from wellbeing.auth.models import PARTICIPANT, User
    from wellbeing.auth.service import issue_link
    from wellbeing.cli.provision import upgrade_database
    from wellbeing.cohorts.models import ACTIVE, Cohort, Enrollment
    from wellbeing.extensions import db
    from wellbeing.orgs.models import Organization

    app = create_app({"ENQUEUE_AFTER_COMMIT": False})
    with app.app_context():
        upgrade_database()
        org = Organization(name="Bench Ltd", timezone="UTC")
        db.session.add(org)
        db.session.flush()
        cohort = Cohort(org_id=org.id, name="Bench cohort", timezone="UTC",
                        start_date=dt.date.today() - dt.timedelta(days=2),
                        release_time=dt.time(0, 0))
        db.session.add(cohort)
        db.session.flush()
        tokens = []
        for n in range(PARTICIPANTS):
            user = User(org_id=org.id, email=f"p{n}@bench.example.com", name=f"P {n}",
                        role=PARTICIPANT)
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrollment(org_id=org.id, cohort_id=cohort.id, user_id=user.id,
                                      status=ACTIVE))
            tokens.append(issue_link(user))
        db.session.commit()
    return tokens


def start(argv, env, port):
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_for_port(process, port, "server")
    return process


def prepare(base: str, token: str):
    """Sign in through the emailed-link flow and load the form, as a browser would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/signin/link/{token}").read().decode()
    opener.open(f"{base}/signin/link/{token}", urllib.parse.urlencode(
        {"csrf_token": hidden(page, "csrf_token")}).encode()).read()
    form = opener.open(f"{base}/surveys/pre").read().decode()
    fields = sorted(set(re.findall(r'name="([a-z0-9-]+_\d+)"', form)))
    body = {name: "2" for name in fields}  # "2" is on every shipped scale
    body["csrf_token"] = hidden(form, "csrf_token")
    quiet = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    return quiet, urllib.parse.urlencode(body).encode()


def timed_post(opener, url, body) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with opener.open(url, body) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - start, status


def run(label, jobs, server=None) -> dict:
    cpu_before = tree_cpu_seconds(server.pid) if server else 0.0
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda job: timed_post(*job), jobs))
    elapsed = time.perf_counter() - start
    cpu = (tree_cpu_seconds(server.pid) - cpu_before) / len(results) * 1000 if server else 0.0
    latencies = sorted(r[0] for r in results)
    ok = sum(1 for r in results if r[1] in (204, 302))
    stats = {"label": label, "rps": len(results) / elapsed, "acked": ok,
             "p50": statistics.median(latencies) * 1000,
             "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000, "cpu": cpu}
    print(f"{label:<8} {len(results)} requests in {elapsed:.2f} s: {stats['rps']:.0f} req/s, "
          f"p50 {stats['p50']:.1f} ms, p99 {stats['p99']:.1f} ms, {ok} acknowledged"
          + (f", server CPU {cpu:.2f} ms/request" if server else ""))
    return stats


def main():
    fresh_database(DSN)
    instance = Path(os.environ.get("BENCH_INSTANCE", "/tmp/wellbeing-bench"))
    instance.mkdir(parents=True, exist_ok=True)
    tokens = seed(instance)
    env = dict(os.environ, DATABASE_URL=DSN, WELLBEING_INSTANCE=str(instance),
               SIGNIN_RATE_PER_ADDRESS="1000000/minute", FLOOR_DSN=DSN)
    env.pop("REDIS_URL", None)
    app_port, floor_port = free_port(), free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", WORKERS]
    servers = [start(gunicorn + ["--bind", f"127.0.0.1:{app_port}", "--chdir", "bench",
                                 "signed_in_app:app"], env, app_port),
               start(gunicorn + ["--bind", f"127.0.0.1:{floor_port}", "--chdir", "bench",
                                 "floor_app:app"], env, floor_port)]
    try:
        base = f"http://127.0.0.1:{app_port}"
        with ThreadPoolExecutor(THREADS) as pool:
            sessions = list(pool.map(lambda t: prepare(base, t), tokens))
        floor_opener = urllib.request.build_opener()
        # The app was warmed by the sign-ins; warm the floor too (its workers open their
        # database connections on first use), so neither pays start-up in the timing.
        run("warm-up", [(floor_opener, f"http://127.0.0.1:{floor_port}/submit", body)
                        for _, body in sessions[:64]])
        app_server, floor_server = servers
        floor = run("floor", [(floor_opener, f"http://127.0.0.1:{floor_port}/submit", body)
                              for _, body in sessions], floor_server)
        signed = run("signed", [(opener, f"{base}/bench/signed-in-floor", body)
                            for opener, body in sessions], app_server)
        project = run("project", [(opener, f"{base}/surveys/pre", body)
                                  for opener, body in sessions], app_server)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)
    with psycopg.connect(DSN) as conn:
        # The answers wait sealed, one row per submission, until the wave closes.
        stored = conn.execute("SELECT count(*) FROM sealed_answers WHERE wave = 'pre'"
                              ).fetchone()[0]
        people = conn.execute("SELECT count(*) FROM survey_completions").fetchone()[0]
    print(f"ratio   {project['rps'] / signed['rps']:.2f} of the signed-in floor's req/s "
          "(goal >= 0.5: every form post pays the session, sign-in check and CSRF)")
    print(f"        {project['rps'] / floor['rps']:.2f} of the bare floor's req/s (the signed-in "
          f"floor itself reaches {signed['rps'] / floor['rps']:.2f} of it)")
    if floor["cpu"]:
        print(f"cpu     per request the app's workers use {project['cpu'] / floor['cpu']:.1f}x "
              f"the floor's CPU (the signed-in floor: "
              f"{signed['cpu'] / floor['cpu']:.1f}x)")
    print(f"stored  {people} completed waves ({stored} sealed answer sets) for "
          f"{project['acked']} acknowledged submissions: "
          + ("equal" if people == stored == project["acked"] else "MISMATCH"))
    return 0 if people == stored == project["acked"] else 1


if __name__ == "__main__":
    sys.exit(main())
