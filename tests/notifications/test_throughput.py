"""The embedded profile's mail folder takes a whole backlog in one pass, each message once
(it used to take one task per message on a broker polled once a second). How fast is
measured in bench/mail_folder.py against a floor, not here."""
from sqlalchemy import func, select

from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_many


def test_a_backlog_goes_to_the_mail_folder_in_one_pass_each_message_once(
        app, participant, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))
    queue_many([{"org_id": participant.org_id, "dedupe_key": f"bulk:{n}", "kind": "moved",
                 "user_id": participant.id, "to_email": participant.email,
                 "subject": f"Message {n}", "body_text": "Hello\n" * 20,
                 "body_html": "<p>Hello</p>" * 20, "due_at": now_utc()} for n in range(600)])
    db.session.commit()
    assert delivery.deliver_due() == {"sent": 600}
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 600
    assert {f.read_bytes().split(b"Subject: Message ")[1].split(b"\n")[0].strip()
            for f in files} == {str(n).encode() for n in range(600)}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == "sent")) == 600
    assert delivery.deliver_due() == {}  # a second pass finds nothing left to send
