"""After a commit the outbox wakes the worker by itself, read back here from the real
broker: an import of many people is one sweep task (not a task per invitation), a
sign-in link is its own delivery task, and a rolled-back import hands over nothing."""
import datetime as dt
import logging

import pytest
from celery import Celery

from wellbeing.cohorts.enrollment import confirm_import, create_preview
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.models import PENDING

from .helpers import invitations, preview_url, upload

SWEEP, DELIVER = "wellbeing.sweep_outbox", "wellbeing.deliver"
PEOPLE = 40


def _csv(tag: str) -> str:
    return "email,name\n" + "".join(f"{tag}{n}@acme.example.com,Person {n}\n"
                                    for n in range(PEOPLE))


@pytest.fixture
def cohort(make_cohort, org):
    return make_cohort(org=org, name="Spring", start=dt.date(2030, 3, 4))


def test_an_import_hands_one_sweep_to_the_worker_after_commit(client, login, admin, cohort,
                                                              handed_to_worker):
    login(client, admin)
    # The sign-in link: its own task, at once, on the urgent queue.
    assert handed_to_worker("urgent") == [DELIVER]
    url = preview_url(upload(client, cohort, _csv("a")))
    assert handed_to_worker() == []  # a preview queues no mail
    assert client.post(url).status_code == 302
    assert handed_to_worker("urgent") == []  # bulk mail never takes the urgent queue
    assert handed_to_worker("bulk") == [SWEEP]
    assert len(invitations()) == PEOPLE


def test_a_rolled_back_import_hands_nothing_to_the_worker(admin, cohort, handed_to_worker):
    preview = create_preview(cohort, admin, "people.csv", _csv("b").encode())
    db.session.commit()
    assert confirm_import(preview, cohort, admin, now_utc()) == PEOPLE
    assert len(invitations()) == PEOPLE  # written, in the transaction...
    db.session.rollback()
    assert invitations() == []
    db.session.commit()  # ...and a later commit does not send the forgotten sweep
    assert handed_to_worker() == []


def test_with_the_broker_down_the_import_stands_and_waits_for_beat(
        app, admin, cohort, monkeypatch, caplog):
    down = Celery("broker-down")
    down.conf.update(broker_url="redis://127.0.0.1:1/0", task_publish_retry=False,
                     broker_transport_options={"max_retries": 0})
    monkeypatch.setitem(app.extensions, "celery", down)
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    preview = create_preview(cohort, admin, "people.csv", _csv("c").encode())
    db.session.commit()
    with caplog.at_level(logging.WARNING):
        confirm_import(preview, cohort, admin, now_utc())
        db.session.commit()
    assert "could not enqueue the outbox sweep; beat will" in caplog.text
    db.session.expire_all()
    assert {m.status for m in invitations()} == {PENDING}
    assert len(invitations()) == PEOPLE
