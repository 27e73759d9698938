"""What arrives at the SMTP server is the message build() describes: the worker writes
the bytes itself (the email package's header handling cost more than the SMTP exchange),
so every kind of text a message can hold is checked as a mail client reads it."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from wellbeing.extensions import db
from wellbeing.notifications import delivery, mailer
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_many

LONG_URL = "http://localhost/reminders/unsubscribe/" + "gAAAAABo" * 16
CASES = {
    "plain": dict(subject="Week 2 is open", body_text="Hello Pat\n\nWeek 2 is open.\n",
                  body_html="<p>Hello Pat</p>\n"),
    "no html": dict(subject="Hello", body_text="Only text", body_html=None),
    "accents": dict(subject="Zoë, la semaine 2 est ouverte — Zürich Wohlfühl",
                    body_text="Bonjour Zoë\n. a line that starts with a dot\n= and 100% €\n",
                    body_html="<p>Grüße, Zoë</p>"),
    "long lines": dict(subject="A subject long enough that a mail client has to fold it "
                       "onto a second line of the header, at least once",
                       body_text="word " * 60 + "\r\nsecond line with trailing space \n",
                       body_html="<p>" + "x" * 300 + "</p>"),
    "unsubscribe": dict(subject="Week 3 is open", body_text="Hi", body_html="<p>Hi</p>",
                        unsubscribe_url=LONG_URL),
}


@pytest.mark.parametrize("case", CASES)
def test_the_mail_received_is_the_mail_built(participant, smtp_server, case):
    queue_many([dict({"org_id": participant.org_id, "dedupe_key": f"w:{case}",
                              "kind": "moved", "user_id": participant.id,
                              "to_email": participant.email}, **CASES[case])])
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).filter_by(dedupe_key=f"w:{case}"))
    built = mailer.build(message)
    assert delivery.deliver_due() == {"sent": 1}
    [got] = smtp_server.messages
    [(sender, recipients, raw)] = smtp_server.raw
    assert sender == "wellbeing@localhost" and recipients == [participant.email]
    assert got["Date"] and got["Date"].datetime.tzinfo is not None  # RFC 5322 asks for one
    for name in ("From", "To", "Subject", "Message-ID", "List-Unsubscribe",
                 "List-Unsubscribe-Post"):
        assert got[name] == built[name], name
    assert got.get_content_type() == built.get_content_type()
    for kind in ("plain", "html"):
        mine, theirs = got.get_body((kind,)), built.get_body((kind,))
        # Over SMTP every line ends in CRLF, whoever wrote the message.
        assert (mine and mine.get_content().replace("\r\n", "\n")) == \
            (theirs and theirs.get_content()), kind
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_the_unsubscribe_link_stays_one_line_a_mail_client_can_read(
        participant, smtp_server):
    """RFC 2369: the header holds the URL in angle brackets. RFC 2047 encoded words (what
    the email package made of a long one) are not allowed there, and a mail client's
    unsubscribe button would find no URL."""
    queue_many([{"org_id": participant.org_id, "dedupe_key": "w:u", "kind": "moved",
                 "user_id": participant.id, "to_email": participant.email,
                 "subject": "Week 3", "body_text": "Hi", "unsubscribe_url": LONG_URL}])
    db.session.commit()
    delivery.deliver_due()
    [(_, _, raw)] = smtp_server.raw
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert f"\r\nList-Unsubscribe: <{LONG_URL}>\r\n" in head
    assert "=?" not in head


def test_a_sender_name_with_accents_arrives_as_written(participant, smtp_server, app,
                                                      monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FROM", "\"Wohlfühl-Team, Zürich\" <wb@localhost>")
    queue_many([{"org_id": participant.org_id, "dedupe_key": "w:f", "kind": "moved",
                 "user_id": participant.id, "to_email": participant.email,
                 "subject": "Moved", "body_text": "Hi"}])
    db.session.commit()
    assert delivery.deliver_due() == {"sent": 1}
    [got] = smtp_server.messages
    assert got["From"].addresses[0].display_name == "Wohlfühl-Team, Zürich"
    assert got["From"].addresses[0].addr_spec == "wb@localhost"
    assert smtp_server.raw[0][0] == "wb@localhost"


def test_a_mail_is_dated_when_it_leaves(participant, smtp_server):
    sent_at = dt.datetime(2027, 3, 8, 7, 0, 5, tzinfo=dt.UTC)
    queue_many([{"org_id": participant.org_id, "dedupe_key": "w:d", "kind": "moved",
                 "user_id": participant.id, "to_email": participant.email,
                 "subject": "Moved", "body_text": "Hi", "due_at": sent_at}])
    db.session.commit()
    with time_machine.travel(sent_at + dt.timedelta(minutes=3), tick=False):
        assert delivery.deliver_due() == {"sent": 1}
    [got] = smtp_server.messages
    assert got["Date"].datetime == sent_at + dt.timedelta(minutes=3)
