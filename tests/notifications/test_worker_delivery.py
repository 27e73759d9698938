"""Bulk and urgent mail through a real Celery worker and a real SMTP server: a sign-in
link does not wait behind a backlog, and a server that refuses for a while loses and
doubles nothing (counted at the SMTP server)."""
import collections

import pytest
from sqlalchemy import select, update

from tests.notifications.test_worker import _wait_for
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_many

pytestmark = pytest.mark.services


def _backlog(user, n, tag):
    queue_many([{"org_id": user.org_id, "dedupe_key": f"{tag}:{i}", "kind": "moved",
                 "user_id": user.id, "to_email": f"{tag}{i}@acme.example.com",
                 "subject": f"Bulk {tag} {i}", "body_text": "Hello"} for i in range(n)])
    db.session.commit()


def _statuses():
    db.session.expire_all()
    return collections.Counter(db.session.scalars(select(OutboxMessage.status)))


def test_a_sign_in_link_overtakes_a_bulk_backlog(app, client, participant, celery_worker,
                                                 smtp_server, monkeypatch):
    _backlog(participant, 1500, "bulk")
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: len(smtp_server.messages) >= 50), "the backlog did not start"
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    assert client.post("/signin/link",
                       data={"link-email": participant.email}).status_code == 303
    assert _wait_for(lambda: any(m["To"] == participant.email for m in smtp_server.messages)), \
        (len(smtp_server.messages), _statuses())
    position = next(i for i, m in enumerate(smtp_server.messages)
                    if m["To"] == participant.email)
    assert position < 1200, f"the sign-in link waited behind {position} bulk messages"
    assert _wait_for(lambda: _statuses() == {"sent": 1501}, seconds=120)


def test_a_server_that_refuses_for_a_while_then_recovers_gets_every_message_once(
        app, participant, celery_worker, smtp_server):
    _backlog(participant, 30, "r")
    smtp_server.refuse = 12  # 451 for the first twelve messages
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: _statuses().get("pending", 0) + _statuses().get("sent", 0) == 30
                     and _statuses().get("sent", 0) == 18)
    retried = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == "pending")).all()
    assert len(retried) == 12 and all(m.last_error.startswith("451") for m in retried)
    assert all(m.due_at > now_utc() for m in retried)  # backing off, not hammering
    # The backoff elapses (the worker runs on the real clock, so the rows are made due).
    db.session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending")
                       .values(due_at=now_utc()))
    db.session.commit()
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: _statuses() == {"sent": 30})
    arrived = collections.Counter(m["To"] for m in smtp_server.messages)
    assert len(arrived) == 30 and set(arrived.values()) == {1}
