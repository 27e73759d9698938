"""The mail relay is down for ten minutes (the clock is moved, not waited for): every
message waits in the outbox, retried with backoff, none is given up; when the relay is
back, all of them arrive, each once."""
import datetime as dt
import socket

import pytest
import sqlalchemy as sa
import time_machine

from tests.conftest import ALLOWED_SMTP
from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_email

pytestmark = [pytest.mark.faults, pytest.mark.services, pytest.mark.tier2]

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday morning's mail
PEOPLE = 12


def _closed_port() -> int:
    """A port nobody listens on: connecting is refused, as with a relay that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _statuses() -> dict[str, int]:
    return dict(db.session.execute(sa.select(OutboxMessage.status, sa.func.count())
                                   .group_by(OutboxMessage.status)).all())


def test_mail_waits_while_the_relay_is_down_for_ten_minutes_then_all_arrives_once(
        app, org, make_user, smtp_server, monkeypatch):
    down = _closed_port()
    ALLOWED_SMTP.add(("127.0.0.1", down))
    with time_machine.travel(T0, tick=False) as clock:
        for n in range(PEOPLE):
            user = make_user(org=org, email=f"p{n}@example.com")
            queue_email(org_id=org.id, user_id=user.id, dedupe_key=f"fault-smtp:{n}",
                        kind="sign-in", to_email=user.email, subject="Your sign-in link",
                        template="sign-in", user=user, link="http://localhost/signin",
                        minutes=15)
        db.session.commit()
        monkeypatch.setitem(app.config, "SMTP_PORT", down)  # the relay goes down
        for minutes in (0, 1, 3, 7):  # the retries that fall within the ten minutes
            clock.move_to(T0 + dt.timedelta(minutes=minutes))
            delivery.deliver_due()
            assert _statuses() == {"pending": PEOPLE}  # waiting, none given up
        clock.move_to(T0 + dt.timedelta(minutes=10))
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)  # the relay is back
        delivery.deliver_due()
        assert smtp_server.messages == []  # the next try is not due yet: still waiting
        clock.move_to(T0 + dt.timedelta(minutes=15))  # the fifth try, after 8 minutes
        delivery.deliver_due()
        assert _statuses() == {"sent": PEOPLE}
        clock.move_to(T0 + dt.timedelta(hours=2))
        delivery.deliver_due()  # later sweeps find nothing more to send
    ids = [message["Message-ID"] for message in smtp_server.messages]
    assert len(ids) == PEOPLE and len(set(ids)) == PEOPLE
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        f"p{n}@example.com" for n in range(PEOPLE))
