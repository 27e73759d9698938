"""What the SMTP server answers decides what happens: one connection reused across
messages (and opened again when the server drops it), a 5xx for the recipient fails the
message at once with the reason, a 4xx is tried again with backoff."""
import datetime as dt
import socket

import time_machine

from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications import delivery, mailer
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_email


def _queue(user, key, to=None):
    message = queue_email(org_id=user.org_id, user_id=user.id, dedupe_key=key, kind="moved",
                          to_email=to or user.email, subject="Hello", template="sign-in",
                          user=user, link="http://localhost/x", minutes=15)
    db.session.commit()
    return message


def test_one_connection_carries_many_messages_and_reopens_when_dropped(
        participant, smtp_server):
    mailer.close_connection()
    for n in range(5):
        _queue(participant, f"t:{n}")
    assert delivery.deliver_due() == {"sent": 5}
    assert len(smtp_server.messages) == 5
    assert smtp_server.connections == 1
    mailer._connection.smtp.sock.shutdown(socket.SHUT_RDWR)  # hung up while idle
    _queue(participant, "t:after")
    assert delivery.deliver_due() == {"sent": 1}
    assert len(smtp_server.messages) == 6 and smtp_server.connections == 2
    mailer.close_connection()


def test_a_refused_recipient_fails_at_once_with_the_reason(participant, smtp_server):
    mailer.close_connection()
    smtp_server.reject = {"nobody@acme.example.com"}
    bad = _queue(participant, "t:bad", to="nobody@acme.example.com")
    good = _queue(participant, "t:good")
    assert delivery.deliver_due() == {"failed": 1, "sent": 1}
    db.session.expire_all()
    bad, good = db.session.get(OutboxMessage, bad.id), db.session.get(OutboxMessage, good.id)
    assert (bad.status, bad.attempts) == ("failed", 1)
    assert bad.last_error.startswith("550") and "No such mailbox" in bad.last_error
    assert good.status == "sent"  # the connection stayed usable after the refusal
    assert [m["To"] for m in smtp_server.messages] == [participant.email]
    mailer.close_connection()


def test_a_temporary_refusal_is_retried_with_backoff_then_arrives_once(
        participant, smtp_server):
    mailer.close_connection()
    smtp_server.refuse = 2
    message = _queue(participant, "t:later")
    start = now_utc()
    with time_machine.travel(start, tick=False):
        assert delivery.deliver_due() == {"retry": 1}
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == "pending" and row.last_error.startswith("451")
    assert row.due_at == start + dt.timedelta(minutes=1)
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        assert delivery.deliver_due() == {"retry": 1}
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        assert delivery.deliver_due() == {}  # the second backoff is two minutes
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        assert delivery.deliver_due() == {"sent": 1}
    assert len(smtp_server.messages) == 1
    mailer.close_connection()


def test_a_server_that_refuses_connections_is_a_temporary_error(participant, app,
                                                                 monkeypatch):
    from tests.conftest import ALLOWED_SMTP
    from tests.services import _free_port
    port = _free_port()  # nothing listens here
    ALLOWED_SMTP.add(("127.0.0.1", port))
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    mailer.close_connection()
    message = _queue(participant, "t:refused")
    assert delivery.deliver_due() == {"retry": 1}
    db.session.expire_all()
    assert "ConnectionRefused" in db.session.get(OutboxMessage, message.id).last_error


def test_a_resent_message_carries_the_same_message_id(participant):
    """Receivers drop a duplicate by Message-ID, so a resend after a worker died between
    the server's 250 and the sent mark must carry the id of the first attempt."""
    message = _queue(participant, "t:id")
    first, again = mailer.build(message)["Message-ID"], mailer.build(message)["Message-ID"]
    assert first == again == f"<outbox-{message.id}@localhost>"
