"""Benchmark: 10,000 participants' week-opened mails planned and delivered.

    .venv/bin/python bench/fanout.py

DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/wellbeing_fanout_bench
(dropped and created: each run starts empty and with keys of its own), REDIS_URL to
redis://127.0.0.1:6379/13.

A cohort of BENCH_PEOPLE (10,000) whose week 2 opened a minute ago. The planner runs
once (timed); then two real Celery worker processes (Redis broker, PostgreSQL) deliver
everything to a local SMTP sink running in another process. In the same run, the floor:
one plain smtplib connection sending the same messages to the same sink. Printed: the
planner's time, both delivery rates, their ratio (goal: at least 0.5), and duplicates
and missing messages, counted at the sink (both must be 0).
"""
import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.utils import parseaddr
from pathlib import Path

from _services import cpu_seconds, free_port, fresh_database
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))
sys.path.insert(0, str(ROOT))


def sink(port: int, out: str) -> None:
    """The SMTP sink: records each message's Message-ID and which run sent it."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Record:
        def __init__(self):
            self.file = open(out, "a", buffering=1)

        async def handle_DATA(self, server, session, envelope):
            head = envelope.content.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
            fields = dict(line.split(": ", 1) for line in head.split("\r\n")
                          if ": " in line)
            self.file.write(f"{fields.get('Message-ID')}\t{fields.get('X-Bench', 'app')}\n")
            return "250 OK"

    controller = Controller(Record(), hostname="127.0.0.1", port=port)
    controller.start()
    asyncio.get_event_loop().run_until_complete(asyncio.sleep(10**6))


class Tally:
    """Messages that arrived at the sink, by run and outbox row (Message-ID
    ...outbox-<id>@...). It reads only what the sink appended since the last look: the
    wait polls it while the workers run, and reading the whole file each time took a
    good part of a core from them (on this 2-core machine the bench's own waiting was
    measured against the app, not the floor)."""

    def __init__(self, out: Path):
        self.out, self.offset, self.rest = out, 0, b""
        self.runs: dict[str, Counter] = {}

    def read(self, run: str) -> Counter:
        if self.out.exists():
            with self.out.open("rb") as file:
                file.seek(self.offset)
                data = self.rest + file.read()
                self.offset = file.tell()
            *lines, self.rest = data.split(b"\n")
            for line in lines:
                mid, who = line.decode().split("\t")
                self.runs.setdefault(who, Counter())[
                    re.search(r"outbox-(\d+)@", mid).group(1)] += 1
        return self.runs.get(run, Counter())


def wait_for(tally: Tally, run: str, n: int, seconds: float) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sum(tally.read(run).values()) >= n:
            return time.monotonic()
        time.sleep(0.05)
    raise SystemExit(f"only {sum(tally.read(run).values())} of {n} arrived ({run})")


def setup(app) -> int:
    from wellbeing.auth.models import PARTICIPANT, User
    from wellbeing.cohorts.models import ACTIVE, Cohort, Enrollment
    from wellbeing.core.bulk import insert_rows
    from wellbeing.core.timeutil import now_utc
    from wellbeing.extensions import db
    from wellbeing.orgs.models import Organization
    from wellbeing.reminders.models import MailPreference

    now = now_utc()
    opened = (now - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    tag = secrets.token_hex(4)
    org = Organization(name=f"Fan-out {tag}", timezone="UTC")
    db.session.add(org)
    db.session.flush()
    cohort = Cohort(org_id=org.id, name="Fan-out", timezone="UTC", weeks=8,
                    start_date=opened.date() - dt.timedelta(days=7), release_time=opened.time())
    db.session.add(cohort)
    db.session.flush()
    insert_rows(User.__table__, [
        {"org_id": org.id, "email": f"p{n}.{tag}@bench.example.com", "name": f"Person {n}",
         "role": PARTICIPANT, "locale": "en", "is_active_account": True,
         "session_version": 0, "created_at": now} for n in range(PEOPLE)])
    ids = db.session.execute(db.select(User.id).where(User.org_id == org.id)).scalars().all()
    insert_rows(Enrollment.__table__, [
        {"org_id": org.id, "cohort_id": cohort.id, "user_id": i, "status": ACTIVE,
         "invited_at": now, "joined_at": now, "earlier_cohort_ids": ""} for i in ids])
    # No quiet hours, so the run does not depend on the hour it is started at.
    insert_rows(MailPreference.__table__, [
        {"user_id": i, "week_opened": True, "nudges": True, "survey_reminders": True,
         "quiet_start": dt.time(0), "quiet_end": dt.time(0)} for i in ids])
    db.session.commit()
    return cohort.id


def start_worker(env: dict, name: str, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tasks", "worker", "--concurrency=1",
         "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=WARNING",
         "--hostname", f"{name}@%h"], cwd=ROOT, env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT)
    return process


def main() -> None:
    os.environ.setdefault("DATABASE_URL",
                          "postgresql://postgres@127.0.0.1:5432/wellbeing_fanout_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database: see the docstring.")
    fresh_database(os.environ["DATABASE_URL"], floor_table=False)
    import redis
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    instance = Path(tempfile.mkdtemp(prefix="fanout-"))
    port, out = free_port(), instance / "sink.txt"
    tally = Tally(out)
    sink_process = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(out)])
    env = dict(os.environ, WELLBEING_INSTANCE=str(instance), SMTP_HOST="127.0.0.1",
               SMTP_PORT=str(port), BASE_URL="https://wellbeing.example.com")
    os.environ.update(env)
    from wellbeing import create_app
    from wellbeing.cli.provision import upgrade_database
    from wellbeing.core.timeutil import now_utc
    from wellbeing.extensions import db
    from wellbeing.notifications import mailer
    from wellbeing.notifications.models import OutboxMessage
    from wellbeing.reminders.planner import plan_due_messages

    workers = []
    try:
        app = create_app({"ENQUEUE_AFTER_COMMIT": False})
        with app.app_context():
            upgrade_database()
            cohort_id = setup(app)
            started = time.perf_counter()
            counts = plan_due_messages(now_utc())
            db.session.commit()
            planner_seconds = time.perf_counter() - started
            ids = db.session.execute(db.select(OutboxMessage.id).where(
                OutboxMessage.dedupe_key.like(f"week-opened:{cohort_id}:%"))).scalars().all()
            assert counts["planned"] >= PEOPLE == len(ids), (counts, len(ids))

            workers = [start_worker(env, f"fanout{n}", instance / f"worker{n}.log")
                       for n in (1, 2)]
            time.sleep(8)  # both workers up and connected before the clock starts
            load = [os.getloadavg()[0]]
            worker_pids = [w.pid for w in workers]
            before = {"workers": cpu_seconds(worker_pids),
                      "sink": cpu_seconds([sink_process.pid])}
            started = time.monotonic()
            app.extensions["celery"].send_task("wellbeing.sweep_outbox")
            finished = wait_for(tally, "app", PEOPLE, 600)
            app_rate = PEOPLE / (finished - started)
            # The workers' database sessions, for their CPU (same machine, /proc).
            sessions = db.session.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalars().all()
            used = {"workers": cpu_seconds(worker_pids) - before["workers"],
                    "sink": cpu_seconds([sink_process.pid]) - before["sink"],
                    "their database sessions": cpu_seconds(sessions)}
            load.append(os.getloadavg()[0])
            time.sleep(2)  # anything late would show as a duplicate

            # The floor: the very bytes the workers sent (each with the X-Bench mark),
            # over one plain smtplib connection, nothing else: no database, no building.
            sender = parseaddr(app.config["MAIL_FROM"])[1]
            messages = []
            for row in db.session.scalars(db.select(OutboxMessage).where(
                    OutboxMessage.id.in_(ids))):
                data = mailer.render(row)
                assert data is not None
                messages.append((row.to_email, b"X-Bench: floor\r\n" + data))
            import smtplib
            before = {"floor": time.process_time(), "sink": cpu_seconds([sink_process.pid])}
            started = time.monotonic()
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                for to, data in messages:
                    smtp.sendmail(sender, [to], data)
            wait_for(tally, "floor", PEOPLE, 120)
            floor_rate = PEOPLE / (time.monotonic() - started)
            floor_used = {"floor": time.process_time() - before["floor"],
                          "sink": cpu_seconds([sink_process.pid]) - before["sink"]}
            load.append(os.getloadavg()[0])
            statuses = Counter(db.session.scalars(db.select(OutboxMessage.status).where(
                OutboxMessage.id.in_(ids))))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(20)
        sink_process.terminate()

    app_counts = tally.read("app")
    duplicates = sum(n - 1 for n in app_counts.values())
    missing = len({str(i) for i in ids} - set(app_counts))
    print(f"participants:            {PEOPLE}")
    print(f"planner:                 {planner_seconds:.2f} s ({counts})")
    print(f"delivery, 2 workers:     {app_rate:.0f} messages/s")
    print(f"floor, 1 smtplib conn.:  {floor_rate:.0f} messages/s")
    print(f"ratio (goal >= 0.5):     {app_rate / floor_rate:.2f}")
    print(f"duplicates at the sink:  {duplicates}")
    print(f"missing at the sink:     {missing}")
    print(f"rows:                    {dict(statuses)}")
    print("CPU ms per message, app:  " + ", ".join(
        f"{who} {seconds * 1000 / PEOPLE:.2f}" for who, seconds in used.items()))
    print("CPU ms per message, floor: " + ", ".join(
        f"{who} {seconds * 1000 / PEOPLE:.2f}" for who, seconds in floor_used.items()))
    print(f"load average (1 min) before, after delivery, after floor: "
          f"{', '.join(f'{x:.1f}' for x in load)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--sink":
        sink(int(sys.argv[2]), sys.argv[3])
    else:
        main()
