"""Two planners at the same moment plan nothing twice: on PostgreSQL they really run at
once (two threads, two connections); the unique key decides, with ON CONFLICT DO
NOTHING, and a sign-in token is stored only for a message that was written."""
import datetime as dt
import threading

import time_machine
from sqlalchemy import func, select

from wellbeing.auth.models import LoginToken
from wellbeing.cohorts.models import Cohort
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.reminders import planner
from wellbeing.reminders.planner import plan_cohort, plan_due_messages

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 9, 9, 1, tzinfo=UTC)  # week 2 opened a minute ago
PEOPLE = 60


def _cohort(make_cohort, make_user, enroll, org):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2))
    for i in range(PEOPLE):
        enroll(make_user(org=org, email=f"c{i}@acme.example.com"), cohort)
    return cohort


def _at_once(app, work, monkeypatch) -> list:
    """Run `work()` in two threads, each with its own app context (so its own session
    and connection), released together; and both hold just before writing until the
    other is there too (or a second has passed: a planner that found the cohort taken
    never gets there), so the inserts truly race."""
    start, errors, results = threading.Barrier(2), [], []
    before_write = threading.Barrier(2, timeout=1)
    real_queue_many = planner.queue_many

    def queue_many_together(rows, **kwargs):
        try:
            before_write.wait()
        except threading.BrokenBarrierError:
            pass
        return real_queue_many(rows, **kwargs)
    monkeypatch.setattr(planner, "queue_many", queue_many_together)

    def run():
        with app.app_context():
            try:
                start.wait()
                with time_machine.travel(NOW, tick=False):
                    results.append(work())
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def _counts():
    db.session.expire_all()
    messages = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "week-opened"))
    distinct = db.session.scalar(select(func.count(func.distinct(OutboxMessage.dedupe_key))))
    tokens = db.session.scalar(select(func.count()).select_from(LoginToken))
    return messages, distinct, tokens


def test_two_planners_at_once_plan_each_message_once(app, make_cohort, make_user, enroll, org,
                                                    monkeypatch):
    _cohort(make_cohort, make_user, enroll, org)
    results = _at_once(app, lambda: plan_due_messages(NOW), monkeypatch)
    assert _counts() == (PEOPLE, PEOPLE, PEOPLE)
    assert sorted(r["planned"] for r in results) == [0, PEOPLE]


def test_two_full_passes_over_the_same_cohort_at_once_write_each_message_once(
        app, make_cohort, make_user, enroll, org, monkeypatch):
    # Past the bookmark's lock: both run the full pass and race on the inserts.
    cohort_id = _cohort(make_cohort, make_user, enroll, org).id
    results = _at_once(app, lambda: plan_cohort(db.session.get(Cohort, cohort_id), NOW),
                       monkeypatch)
    assert _counts() == (PEOPLE, PEOPLE, PEOPLE)
    assert sum(r["planned"] for r in results) == PEOPLE
