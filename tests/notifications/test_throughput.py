"""The embedded profile's mail folder takes a backlog at well over 100 messages a second
(it used to be about one: a task per message on a broker polled once a second)."""
import time

from sqlalchemy import func, select

from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_many


def test_a_backlog_goes_to_the_mail_folder_at_over_100_a_second(
        app, participant, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))
    queue_many([{"org_id": participant.org_id, "dedupe_key": f"bulk:{n}", "kind": "moved",
                 "user_id": participant.id, "to_email": participant.email,
                 "subject": f"Message {n}", "body_text": "Hello\n" * 20,
                 "body_html": "<p>Hello</p>" * 20, "due_at": now_utc()} for n in range(600)])
    db.session.commit()
    started = time.perf_counter()
    assert delivery.deliver_due() == {"sent": 600}
    rate = 600 / (time.perf_counter() - started)
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 600
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == "sent")) == 600
    assert rate >= 100, f"{rate:.0f} messages a second"
    print(f"folder delivery: {rate:.0f} messages a second")
