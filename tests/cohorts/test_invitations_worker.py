"""A confirmed import's invitations reach a real SMTP server through a real Celery worker:
one sweep task after the commit, not 10,000 task messages."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.notifications.test_worker import _wait_for
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

from .helpers import preview_url, upload

pytestmark = pytest.mark.services


def test_imported_people_receive_their_invitations(app, client, login, admin, make_cohort, org,
                                                   celery_worker, smtp_server, monkeypatch):
    cohort = make_cohort(org=org, name="Spring", start=dt.date(2030, 3, 4))
    login(client, admin)
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    url = preview_url(upload(client, cohort, "email,name\na@acme.example.com,Ann A\n"
                                             "b@acme.example.com,Ben B\n"
                                             "c@acme.example.com,Cal C\n"))
    assert client.post(url).status_code == 302

    def invitations_out():
        return len([m for m in smtp_server.messages if "invited" in m["Subject"]]) == 3
    assert _wait_for(invitations_out), "the worker did not send the invitations"
    to = sorted(m["To"] for m in smtp_server.messages if "invited" in m["Subject"])
    assert to == ["a@acme.example.com", "b@acme.example.com", "c@acme.example.com"]
    body = next(m for m in smtp_server.messages if m["To"] == "a@acme.example.com")
    assert re.search(r"/signin/link/[\w-]{40,}", body.get_body(("plain",)).get_content())

    def all_marked_sent():
        db.session.expire_all()
        rows = db.session.scalars(select(OutboxMessage).filter_by(kind="invitation")).all()
        return {r.status for r in rows} == {"sent"}
    assert _wait_for(all_marked_sent)
