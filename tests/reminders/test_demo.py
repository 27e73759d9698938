"""The demo organisation shows reminders in the first minute: week news planned for its
running cohort and delivered to the demo mailbox, and a facilitator's announcement."""
from sqlalchemy import select

from wellbeing.cli.demo import ensure_demo
from wellbeing.extensions import db
from wellbeing.notifications.delivery import deliver_due
from wellbeing.notifications.models import OutboxMessage


def test_the_demo_has_reminders_in_its_mailbox_at_once(app, client, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "SHOW_DEV_MAILBOX", True)
    assert ensure_demo()
    kinds = set(db.session.scalars(select(OutboxMessage.kind)))
    assert {"week-opened", "announcement"} <= kinds
    deliver_due()
    mailbox = client.get("/dev/mailbox").get_data(as_text=True)
    assert "Week 3 is open" in mailbox
    assert "Welcome to week three" in mailbox
