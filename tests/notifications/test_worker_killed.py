"""A worker killed with SIGKILL in the middle of a batch: after a restart every message
arrives exactly once, counted at the SMTP server (not in the database)."""
import collections
import datetime as dt
import signal

import pytest
import time_machine
from sqlalchemy import select

from tests.notifications.test_worker import _wait_for
from tests.services import start_worker, stop_worker
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_many

pytestmark = pytest.mark.services
MESSAGES = 150


def _statuses():
    db.session.expire_all()
    return collections.Counter(db.session.scalars(select(OutboxMessage.status)))


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
        app, participant, smtp_server, instance_dir):
    queue_many([{"org_id": participant.org_id, "dedupe_key": f"k:{i}", "kind": "moved",
                 "user_id": participant.id, "to_email": f"k{i}@acme.example.com",
                 "subject": f"Message {i}", "body_text": "Hello"} for i in range(MESSAGES)])
    db.session.commit()
    smtp_server.delay = 0.05  # a slow server: the batch is still going when we strike
    doomed = start_worker(app, smtp_server.port, instance_dir, "doomed.log", queues="doomed")
    try:
        app.extensions["celery"].send_task("wellbeing.deliver_batch", queue="doomed")
        assert _wait_for(lambda: len(smtp_server.messages) >= 20), "the batch never started"
        # Strike while a message waits for the server's answer, mid-batch: the server now
        # holds its answer long enough that the kill always lands before the "250" (a kill
        # after the 250 but before the worker records it is the one window no SMTP client
        # can close; the fixed Message-ID lets the receiving side drop that duplicate).
        smtp_server.delay = 5.0
        smtp_server.in_data.clear()
        assert smtp_server.in_data.wait(15)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    left = _statuses()
    assert left["sending"] > 0 and left["sent"] < MESSAGES, left  # truly mid-batch

    smtp_server.delay = 0
    # Later, the sweeper returns what the dead worker left in `sending` to the queue.
    with time_machine.travel(now_utc() + delivery.STUCK_AFTER + dt.timedelta(minutes=1)):
        assert delivery.release_stuck() == left["sending"]
    restarted = start_worker(app, smtp_server.port, instance_dir, "restarted.log",
                             queues="urgent,celery,doomed")
    try:
        app.extensions["celery"].send_task("wellbeing.sweep_outbox")
        assert _wait_for(lambda: _statuses() == {"sent": MESSAGES}, seconds=60), _statuses()
    finally:
        stop_worker(restarted)
    arrived = collections.Counter(m["To"] for m in smtp_server.messages)
    assert len(arrived) == MESSAGES
    assert [to for to, n in arrived.items() if n > 1] == []
