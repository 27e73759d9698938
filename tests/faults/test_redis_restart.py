"""Redis (the broker) restarts, losing every queued task, while a real Celery worker is
sending a week's reminders: the worker reconnects, the sweeps (beat's, every minute) hand
out what is due, reminders planned after the restart go out too, and every reminder
arrives at the SMTP server exactly once.

The worker runs on the real clock, so the week opens two minutes before now."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.notifications.test_worker import _wait_for
from tests.services import start_worker, stop_worker
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.reminders.models import MailPreference
from wellbeing.reminders.planner import plan_due_messages

pytestmark = [pytest.mark.faults, pytest.mark.services, pytest.mark.tier2]
PER_COHORT = 10


def _cohort_opening_week_2(make_cohort, make_user, enroll, org, opening, name):
    cohort = make_cohort(org=org, name=name, tz="UTC",
                         start=opening.date() - dt.timedelta(days=7),
                         release=opening.time().replace(second=0, microsecond=0))
    for n in range(PER_COHORT):
        user = make_user(org=org, email=f"{name.lower()}{n}@acme.example.com")
        db.session.add(MailPreference(user_id=user.id, quiet_start=dt.time(0, 0),
                                      quiet_end=dt.time(0, 0)))  # no quiet hours
        db.session.commit()
        enroll(user, cohort)
    return cohort


def _plan(moment):
    with time_machine.travel(moment, tick=False):
        plan_due_messages(now_utc())
        db.session.commit()


def _sweeps_done(instance_dir) -> int:
    """Sweeps the worker has run to the end (its log says so)."""
    log = (instance_dir / "faults-worker.log").read_text()
    return sum(1 for line in log.splitlines()
               if "wellbeing.sweep_outbox[" in line and "succeeded" in line)


def _week_opened() -> list[int]:
    return db.session.scalars(select(OutboxMessage.id).filter_by(kind="week-opened")).all()


def _settled() -> bool:
    db.session.expire_all()
    return not db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status.in_(("pending", "sending")))).all()


def test_reminders_resume_after_a_redis_restart_and_none_is_sent_twice(
        app, org, make_cohort, make_user, enroll, smtp_server, own_redis, instance_dir):
    opening = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)).replace(second=0,
                                                                          microsecond=0)
    _cohort_opening_week_2(make_cohort, make_user, enroll, org, opening, "North")
    _plan(opening - dt.timedelta(minutes=1))
    assert len(_week_opened()) == PER_COHORT
    celery = app.extensions["celery"]
    worker = start_worker(app, smtp_server.port, instance_dir, "faults-worker.log")
    try:
        smtp_server.delay = 0.3  # a slow relay: the restart lands while mail is going out
        celery.send_task("wellbeing.sweep_outbox")
        assert _wait_for(lambda: len(smtp_server.messages) >= 3), "the worker sent nothing"
        own_redis.stop()  # every queued task is lost with it (no persistence)
        own_redis.start()
        smtp_server.delay = 0.0
        # After the restart another cohort's week opens: its reminders are planned and
        # must go out through the new Redis.
        _cohort_opening_week_2(make_cohort, make_user, enroll, org, opening, "South")
        _plan(opening - dt.timedelta(minutes=1))
        assert len(_week_opened()) == 2 * PER_COHORT
        # Beat's next minutes: the sweep hands out whatever is still due.
        for _ in range(3):
            celery.send_task("wellbeing.sweep_outbox")
            if _wait_for(_settled):
                break
        assert _settled(), "reminders did not resume after the restart"
        # Two more minutes, run to the end by the worker: nothing is left to send.
        done = _sweeps_done(instance_dir)
        celery.send_task("wellbeing.sweep_outbox")
        celery.send_task("wellbeing.sweep_outbox")
        assert _wait_for(lambda: _sweeps_done(instance_dir) >= done + 2)
    finally:
        stop_worker(worker)
    arrived = [m["To"] for m in smtp_server.messages]
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(arrived) == 2 * PER_COHORT, sorted(arrived)
    assert len(set(arrived)) == len(set(ids)) == 2 * PER_COHORT
