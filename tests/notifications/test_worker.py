"""A real Celery worker process picks up a message enqueued after commit and sends it over
real SMTP (Redis broker on the PostgreSQL tier, the filesystem broker on SQLite)."""
import time

import pytest
from sqlalchemy import select

from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

pytestmark = pytest.mark.services


def _wait_for(predicate, seconds=30):
    # Waiting on another process (the worker), not on the clock under test.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_delivers_a_sign_in_link_after_commit(app, client, participant, celery_worker,
                                                     smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    response = client.post("/signin/link", data={"link-email": participant.email})
    assert response.status_code == 303
    assert _wait_for(lambda: smtp_server.messages), "the worker sent nothing"
    [email] = smtp_server.messages
    assert email["To"] == participant.email
    assert "/signin/link/" in email.get_body(("plain",)).get_content()
    # SMTP accepts before the worker commits `sent`: wait for the row, not just the mail.
    def marked_sent():
        db.session.expire_all()
        return db.session.scalar(select(OutboxMessage.status)) == "sent"
    assert _wait_for(marked_sent), "the message was sent but never marked sent"


def test_sweep_task_sends_what_was_not_enqueued(app, participant, celery_worker, smtp_server):
    from wellbeing.auth.service import issue_link
    issue_link(participant)  # ENQUEUE_AFTER_COMMIT is off: only the sweep can send this
    db.session.commit()
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: smtp_server.messages), "the sweep sent nothing"
    assert len(smtp_server.messages) == 1


def test_every_scheduled_task_is_one_the_worker_knows(instance_dir):
    """Beat names tasks by string: a schedule entry whose module the worker does not load
    would be sent every hour and never run."""
    import json
    import os
    import subprocess
    import sys
    probe = ("import json, tasks; from tasks.schedule import BEAT_SCHEDULE; "
             "print(json.dumps([sorted(tasks.celery.tasks), "
             "[e['task'] for e in BEAT_SCHEDULE.values()]]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={**os.environ, "WELLBEING_INSTANCE": str(instance_dir)})
    known, scheduled = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"wellbeing.release_answers", "wellbeing.purge_import_previews",
            "wellbeing.snapshot_closed_waves", "wellbeing.snapshot_closed_outcomes"
            } <= set(scheduled)
    assert set(scheduled) <= set(known)
