"""Monday morning under load: N simulated participants for T seconds against the real
stack on this machine (gunicorn with several workers, PostgreSQL, Redis, a Celery worker
sending the week's invitations to a real SMTP server), headless, like a locust run.

Each simulated participant takes the next person from a pool of enrolled people and
walks their Monday: signs in from the link in their invitation, opens the week, logs a
practice, answers the pre survey; then the next person. When the pool is used up the
participants come back signed in and only open the week and log practice. Between steps
each waits a think time drawn at random.

Printed: requests per second, p50/p95/p99 per step (the whole step as the person waits
for it: the form and its post), errors (goal 0), and afterwards, from the database, that
every acknowledged submission and practice entry is stored. Answers are sealed and cannot
be linked to anyone, so they are counted per wave, not per person. The floor is the same
number of threads posting the same answers to a minimal Flask endpoint under the same
gunicorn (bench/floor_app.py), measured in the same run; the ratio is printed.

    .venv/bin/python bench/load.py                 # full profile: 200 users x 60 s
    .venv/bin/python bench/load.py --ci            # short profile: 20 users x 10 s
    .venv/bin/python bench/load.py --users 50 --seconds 30 --workers 4

DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/wellbeing_load_bench (dropped and
created), REDIS_URL to redis://127.0.0.1:6379/4 (emptied). Exit status 1 on any error or
a submission acknowledged but not stored.
"""
import argparse
import datetime as dt
import http.cookiejar
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
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
DEBUG = bool(os.environ.get("LOAD_DEBUG"))
STEPS = ("sign-in", "open week", "log practice", "survey")


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ci", action="store_true", help="short profile: 20 users x 10 s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--pool", type=int, default=0,
                        help="people enrolled (default: 6 per simulated participant)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean think time between steps, seconds (0: none)")
    parser.add_argument("--floor-seconds", type=float, default=0,
                        help="how long to measure the floor (default: min(T, 15))")
    args = parser.parse_args(argv)
    if args.ci:
        args.users, args.seconds = 20, 10
    args.pool = args.pool or args.users * 6
    args.floor_seconds = args.floor_seconds or min(args.seconds, 15)
    return args


# ---- the stack -----------------------------------------------------------------------

def seed(pool: int) -> list[str]:
    """Migrate; one organisation with one cohort whose first week opened this morning
    (its pre survey open), and `pool` people enrolled, each with an invitation link (the
    invitation emails wait in the outbox for the worker). Returns the links' tokens."""
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
        org = Organization(name="Load Ltd", timezone="UTC")
        db.session.add(org)
        db.session.flush()
        cohort = Cohort(org_id=org.id, name="Monday cohort", timezone="UTC",
                        start_date=dt.datetime.now(dt.UTC).date(), release_time=dt.time(0, 0))
        db.session.add(cohort)
        db.session.flush()
        tokens = []
        for n in range(pool):
            user = User(org_id=org.id, email=f"p{n}@load.example.com", name=f"P {n}",
                        role=PARTICIPANT, timezone="UTC")
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrollment(org_id=org.id, cohort_id=cohort.id, user_id=user.id,
                                      status=ACTIVE))
            tokens.append(issue_link(user, kind="invitation", minutes=7 * 24 * 60))
        db.session.commit()
    return tokens


def warm_up(port: int, workers: int, path: str) -> None:
    """Wait until every worker has imported the app: the master listens at once, but a
    worker answers only once its import is done (seconds on a busy machine). Rounds of
    concurrent requests until one round is answered quickly throughout."""
    def ask(_):
        start = time.perf_counter()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).read()
        except urllib.error.HTTPError:
            pass
        return time.perf_counter() - start
    deadline = time.monotonic() + 300
    with ThreadPoolExecutor(workers * 2) as pool:
        while time.monotonic() < deadline:
            if max(pool.map(ask, range(workers * 4))) < 1.0:
                return
    raise SystemExit(f"the workers on port {port} did not warm up")


def gunicorn(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--backlog", "2048",
         "--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT / ("bench" if target.startswith("floor") else ""), env=env,
        stdout=subprocess.DEVNULL, stderr=open(env["LOAD_LOG"], "a"))
    wait_for_port(process, port, target)
    warm_up(port, workers, "/healthz" if target.startswith("wellbeing") else "/warm")
    return process


def celery_worker(env: dict) -> subprocess.Popen:
    log = Path(env["LOAD_LOG"]).with_name("worker.log")
    out = open(log, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--concurrency=1",
         "--pool=solo", "--queues=urgent,celery", "--without-gossip", "--without-mingle",
         "--loglevel=INFO"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if "ready." in log.read_text():
            return process
        time.sleep(0.2)
    process.kill()
    raise SystemExit("Celery worker did not start:\n" + log.read_text())


class Mailbox:
    """A real SMTP server (aiosmtpd) that counts what arrives, by Message-ID."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.ids: list[str] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.M | re.I)
        self.ids.append(found.group(1).decode() if found else "")
        return "250 OK"

    def stop(self):
        self.controller.stop()


# ---- one simulated participant ---------------------------------------------------------

class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.requests = 0
        self.errors: dict[str, int] = defaultdict(int)
        self.acked = defaultdict(int)  # survey / practice answered 302 by the server

    def step(self, name: str, seconds: float, requests: int):
        with self.lock:
            self.times[name].append(seconds)
            self.requests += requests

    def error(self, what: str):
        with self.lock:
            self.errors[what] += 1

    def ack(self, what: str):
        with self.lock:
            self.acked[what] += 1


class Participant:
    def __init__(self, base: str, results: Results, think: float):
        self.base, self.results, self.think = base, results, think
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.requests = 0

    def call(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        self.requests += 1
        began = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        finally:
            if DEBUG and time.perf_counter() - began > 3:
                print(f"slow    {path[:24]}: {time.perf_counter() - began:.1f} s", flush=True)

    def expect(self, step: str, answer: tuple[int, str], *codes: int) -> str:
        status, page = answer
        if status not in codes:
            raise StepFailed(f"{step}: HTTP {status}")
        return page

    def timed(self, name: str, work) -> None:
        self.requests = 0
        start = time.perf_counter()
        try:
            work()
        except StepFailed as failure:
            self.results.error(str(failure))
            return
        except (OSError, AttributeError) as error:  # refused, reset, a page without a form
            self.results.error(f"{name}: {type(error).__name__}")
            return
        self.results.step(name, time.perf_counter() - start, self.requests)

    def pause(self):
        if self.think:
            time.sleep(random.uniform(0.5, 1.5) * self.think)

    # The four steps of a Monday morning.
    def sign_in(self, token: str):
        page = self.expect("sign-in", self.call(f"/signin/link/{token}"), 200)
        self.expect("sign-in", self.call(f"/signin/link/{token}",
                                         {"csrf_token": hidden(page, "csrf_token")}), 302)

    def open_week(self):
        self.expect("open week", self.call("/course/weeks/1"), 200)

    def log_practice(self):
        page = self.expect("log practice", self.call("/course/practice"), 200)
        slug = re.search(r'<option[^>]*value="([a-z0-9-]+)"', page).group(1)
        self.expect("log practice", self.call("/course/practice", {
            "csrf_token": hidden(page, "csrf_token"),
            "entry_token": hidden(page, "entry_token"),
            "day": dt.datetime.now(dt.UTC).date().isoformat(), "practice": slug,
            "minutes": "10", "note": ""}), 302)
        self.results.ack("practice")

    def survey(self):
        page = self.expect("survey", self.call("/surveys/pre"), 200)
        fields = sorted(set(re.findall(r'name="([a-z0-9-]+_\d+)"', page)))
        body = {name: "2" for name in fields}  # "2" is on every shipped scale
        body["csrf_token"] = hidden(page, "csrf_token")
        self.expect("survey", self.call("/surveys/pre", body), 302)
        self.results.ack("survey")


class StepFailed(Exception):
    pass


def simulate(base, tokens, lock, results, think, stop_at):
    """One simulated participant's morning, until the time is up: no journey starts
    after that, and one under way is finished (every step is measured, the survey
    included, however slow the machine), so a run may last longer than asked."""
    returning = None
    while time.monotonic() < stop_at:
        with lock:
            token = tokens.pop() if tokens else None
        if token is None:  # everyone has come in once; people come back, signed in
            if returning is None:
                return
            person = returning
            steps = [("open week", person.open_week), ("log practice", person.log_practice)]
        else:
            person = Participant(base, results, think)
            steps = [("sign-in", lambda: person.sign_in(token)),  # noqa: B023 - run here
                     ("open week", person.open_week), ("log practice", person.log_practice),
                     ("survey", person.survey)]
        for name, work in steps:
            person.timed(name, work)
            person.pause()
        if token is not None:
            returning = person


def run_load(base, tokens, users, seconds, think) -> tuple[Results, float]:
    results, lock = Results(), threading.Lock()
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=simulate,
                                args=(base, tokens, lock, results, think, stop_at))
               for _ in range(users)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
        time.sleep(min(0.01, seconds / users / 10))  # arrivals spread over a moment
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - start


def run_floor(port, users, seconds) -> float:
    """The same number of threads posting one survey's worth of answers to an endpoint
    that only INSERTs them: requests per second."""
    body = urllib.parse.urlencode({f"scs-sf_{n}": "2" for n in range(1, 13)}).encode()
    count, lock = [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def post():
        while time.monotonic() < stop_at:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/submit", body, timeout=60).read()
            with lock:
                count[0] += 1
    threads = [threading.Thread(target=post) for _ in range(users)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / (time.perf_counter() - start)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] * 1000


def stored(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            # Sealed until the wave closes: one sealed row per submission, counted per wave.
            "sealed": one("SELECT count(*) FROM sealed_answers WHERE wave = 'pre'"),
            "written": one("SELECT count(DISTINCT respondent) FROM survey_responses "
                           "WHERE wave = 'pre'"),
            "completions": one("SELECT count(*) FROM survey_completions WHERE wave = 'pre'"),
            "practice": one("SELECT count(*) FROM practice_logs"),
        }


def wait_for_mail(mailbox: Mailbox, expected: int, dsn: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and len(mailbox.ids) < expected:
        time.sleep(0.5)


def main(argv=None) -> int:
    args = options(argv)
    dsn = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/wellbeing_load_bench")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4")
    instance = Path(os.environ.get("LOAD_INSTANCE", "/tmp/wellbeing-load"))
    instance.mkdir(parents=True, exist_ok=True)
    keys = instance.parent / (instance.name + "-keys")
    keys.mkdir(exist_ok=True)
    import redis
    redis.Redis.from_url(redis_url).flushdb()
    fresh_database(dsn)
    mailbox = Mailbox()
    env = dict(os.environ, DATABASE_URL=dsn, REDIS_URL=redis_url, WELLBEING_ENV="embedded",
               WELLBEING_INSTANCE=str(instance), WELLBEING_KEYS=str(keys), FLOOR_DSN=dsn,
               SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port),
               SIGNIN_RATE_PER_ADDRESS="1000000/minute", LOAD_LOG=str(instance / "web.log"),
               PYTHONPATH=str(ROOT))
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "WELLBEING_INSTANCE",
                                           "WELLBEING_KEYS", "SMTP_HOST", "SMTP_PORT")})
    sys.path.insert(0, str(ROOT))
    print(f"profile {args.users} participants x {args.seconds:.0f} s, think time "
          f"~{args.think:.1f} s, {args.workers} gunicorn workers, pool {args.pool} people")
    started = time.perf_counter()
    tokens = seed(args.pool)
    print(f"seeded  {args.pool} enrolled people with invitations in "
          f"{time.perf_counter() - started:.1f} s")
    app_port, floor_port = free_port(), free_port()
    processes = []
    try:
        processes.append(celery_worker(env))
        processes.append(gunicorn("wellbeing.wsgi:app", app_port, args.workers, env))
        processes.append(gunicorn("floor_app:app", floor_port, args.workers, env))
        began = time.perf_counter()
        floor_cpu = tree_cpu_seconds(processes[2].pid)
        floor = run_floor(floor_port, args.users, args.floor_seconds)
        floor_cpu = (tree_cpu_seconds(processes[2].pid) - floor_cpu) / (floor * args.floor_seconds)
        if DEBUG:
            print(f"floor phase took {time.perf_counter() - began:.1f} s")
        from celery import Celery
        Celery(broker=redis_url).send_task("wellbeing.sweep_outbox")  # the invitations go out
        random.shuffle(tokens)
        load_before = os.getloadavg()[0]
        app_cpu = tree_cpu_seconds(processes[1].pid)
        results, elapsed = run_load(f"http://127.0.0.1:{app_port}", tokens, args.users,
                                    args.seconds, args.think)
        app_cpu = (tree_cpu_seconds(processes[1].pid) - app_cpu) / max(results.requests, 1)
        print(f"machine {os.cpu_count()} cores, load average {load_before:.1f} before the run "
              f"and {os.getloadavg()[0]:.1f} after (other work shares these cores)")
        wait_for_mail(mailbox, args.pool, dsn, limit=120)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        mailbox.stop()
    report_cpu(app_cpu, floor_cpu)
    return report(args, results, elapsed, floor, stored(dsn), mailbox)


def report_cpu(app_cpu: float, floor_cpu: float) -> None:
    print(f"cpu     the app's workers use {app_cpu * 1000:.0f} ms of CPU per request, the "
          f"floor's {floor_cpu * 1000:.1f} ms: {app_cpu / floor_cpu:.0f}x (waiting for a "
          "shared core is not counted, so this holds on a busy machine)")


def report(args, results, elapsed, floor, found, mailbox) -> int:
    rps = results.requests / elapsed
    print(f"load    {results.requests} requests in {elapsed:.1f} s: {rps:.0f} req/s "
          f"({sum(len(t) for t in results.times.values()) / elapsed:.1f} steps/s)")
    print(f"{'step':<13}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in STEPS:
        times = results.times.get(name, [])
        if times:
            print(f"{name:<13}{len(times):>7}{percentile(times, .5):>9.0f}"
                  f"{percentile(times, .95):>9.0f}{percentile(times, .99):>9.0f}")
    errors = sum(results.errors.values())
    print(f"errors  {errors}" + "".join(f"\n        {n} x {what}"
                                        for what, n in sorted(results.errors.items())))
    if args.think:
        print(f"note    each participant thinks ~{args.think:.1f} s between steps, so the "
              f"ratio is bounded by demand; --think 0 measures the most the stack serves")
    print(f"floor   {floor:.0f} req/s (INSERT-only endpoint, same threads and workers); "
          f"ratio {rps / floor:.2f} of the floor's req/s")
    surveys, practice = results.acked["survey"], results.acked["practice"]
    answers = found["sealed"] + found["written"]
    ok = surveys == found["completions"] == answers and practice == found["practice"]
    print(f"stored  pre wave: {answers} answer sets and {found['completions']} completions for "
          f"{surveys} acknowledged submissions; {found['practice']} practice entries for "
          f"{practice} acknowledged: " + ("all stored" if ok else "MISMATCH"))
    unique = len(set(mailbox.ids))
    print(f"mail    {len(mailbox.ids)} invitations arrived during the load ({unique} distinct, "
          f"{len(mailbox.ids) - unique} duplicates) of {args.pool} queued")
    return 0 if ok and errors == 0 and unique == len(mailbox.ids) else 1


if __name__ == "__main__":
    sys.exit(main())
