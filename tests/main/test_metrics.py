"""What an operator watches: /metrics (Prometheus) and the figures on /healthz move when
mail is sent or fails and when beat stops, and are served only to the networks allowed."""
import datetime as dt
import ipaddress
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from celery import Celery

from wellbeing.core.heartbeats import BEAT, PLANNER, last_runs
from wellbeing.extensions import db
from wellbeing.main import metrics
from wellbeing.notifications import delivery
from wellbeing.notifications.service import queue_email

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC)
OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}


def _metric(client, name, labels=""):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    for line in response.get_data(as_text=True).splitlines():
        if line.startswith(f"wellbeing_{name}{labels} "):
            return float(line.split()[-1])
    return None


def _queue(user, key):
    queue_email(org_id=user.org_id, user_id=user.id, dedupe_key=key, kind="sign-in",
                to_email=user.email, subject="Hello", template="sign-in", user=user,
                link="http://localhost/x", minutes=15)
    db.session.commit()


def test_the_figures_move_when_mail_is_sent_and_when_one_fails(client, participant,
                                                               make_user, smtp_server):
    gone = make_user(org=participant.org, email="gone@acme.example.com")
    smtp_server.reject = {gone.email}
    with time_machine.travel(START, tick=False) as clock:
        _queue(participant, "metrics:1")
        _queue(gone, "metrics:2")
        clock.shift(dt.timedelta(minutes=10))  # the worker is not keeping up
        assert _metric(client, "outbox_oldest_due_age_seconds") == 600
        assert _metric(client, "outbox_due_messages") == 2
        assert _metric(client, "mail_sent_last_hour") == 0
        assert _metric(client, "mail_failed_last_hour") == 0

        delivery.deliver_due()
        assert _metric(client, "outbox_oldest_due_age_seconds") == 0
        assert _metric(client, "outbox_due_messages") == 0
        assert _metric(client, "mail_sent_last_hour") == 1
        assert _metric(client, "mail_failed_last_hour") == 1
        figures = client.get("/healthz").get_json()["figures"]
        assert (figures["mail_sent_last_hour"], figures["mail_failed_last_hour"]) == (1, 1)
        assert figures["oldest_due_message_age_seconds"] == 0

        clock.shift(dt.timedelta(minutes=61))
        assert _metric(client, "mail_sent_last_hour") == 0
        assert _metric(client, "mail_failed_last_hour") == 0


def test_queue_depth_counts_the_tasks_waiting_on_the_broker(client, app, monkeypatch):
    waiting = f"metrics-test-{os.getpid()}"
    monkeypatch.setattr(metrics, "QUEUES", (*metrics.QUEUES, waiting))
    celery = Celery("metrics-test")
    celery.config_from_object(app.config["CELERY"])
    label = f'{{queue="{waiting}"}}'
    try:
        with celery.connection_for_write() as connection:
            simple = connection.SimpleQueue(waiting)
            assert _metric(client, "broker_queue_messages", label) == 0
            simple.put({"task": "one"})
            simple.put({"task": "two"})
            assert _metric(client, "broker_queue_messages", label) == 2
            assert _metric(client, "broker_up") == 1 and _metric(client, "database_up") == 1
    finally:
        with celery.connection_for_write() as connection:
            connection.SimpleQueue(waiting).queue.delete()


def _start_beat(app, tmp_path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SMTP_HOST"}}
    env.update(WELLBEING_ENV="test", WELLBEING_INSTANCE=str(tmp_path),
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["REDIS_URL"]:
        env["REDIS_URL"] = app.config["REDIS_URL"]
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks", "beat",
                             "--loglevel=INFO"], cwd=ROOT, env=env,
                            stdout=(tmp_path / "beat.log").open("w"), stderr=subprocess.STDOUT)


def _wait_for_heartbeat(name, process=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # read what the other process committed
        if name in last_runs():
            return last_runs()[name]
        assert process is None or process.poll() is None, f"{name} stopped"
        time.sleep(0.2)  # waiting for the other process
    pytest.fail(f"no heartbeat from {name}")


@pytest.mark.services
def test_the_figures_show_when_beat_and_the_planner_stop(client, app, tmp_path,
                                                         celery_worker):
    assert _metric(client, "last_run_age_seconds", '{process="beat"}') is None
    beat = _start_beat(app, tmp_path)
    try:
        beat_ran = _wait_for_heartbeat(BEAT, beat)
    finally:
        beat.terminate()
        beat.wait(timeout=30)
    # The planner task, run by a real worker, says when it finished.
    app.extensions["celery"].send_task("wellbeing.plan_due_messages")
    planner_ran = _wait_for_heartbeat(PLANNER)

    with time_machine.travel(beat_ran, tick=False):
        assert _metric(client, "last_run_age_seconds", '{process="beat"}') == 0
        assert _metric(client, "last_run_timestamp_seconds", '{process="beat"}') == \
            beat_ran.timestamp()
    with time_machine.travel(beat_ran + dt.timedelta(minutes=10), tick=False):
        assert _metric(client, "last_run_age_seconds", '{process="beat"}') == 600
        health = client.get("/healthz")
        assert health.status_code == 200  # a stopped beat does not make web unhealthy
        assert health.get_json()["figures"]["beat_age_seconds"] == 600
        assert health.get_json()["figures"]["beat_last_run"] == beat_ran.isoformat()
    with time_machine.travel(planner_ran + dt.timedelta(minutes=5), tick=False):
        assert _metric(client, "last_run_age_seconds", '{process="planner"}') == 300


def test_metrics_are_refused_to_addresses_outside_the_allowed_networks(client, app,
                                                                       monkeypatch):
    refused = client.get("/metrics", environ_base=OUTSIDE)
    assert refused.status_code == 403
    assert b"METRICS_ALLOW_FROM" in refused.data
    assert "figures" not in client.get("/healthz", environ_base=OUTSIDE).get_json()
    # Through a proxy on this machine that nobody said to trust: from anywhere, refused.
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}
                      ).status_code == 403
    assert client.get("/metrics").status_code == 200  # loopback, the default
    monkeypatch.setitem(app.config, "METRICS_ALLOW_FROM",
                        [ipaddress.ip_network("203.0.113.0/24")])
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 200
    assert client.get("/metrics").status_code == 403


def test_a_bearer_token_opens_metrics_from_anywhere_and_only_the_right_one(client, app,
                                                                            monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", environ_base=OUTSIDE,
                      headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/metrics", environ_base=OUTSIDE,
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
    body = client.get("/healthz", environ_base=OUTSIDE,
                      headers={"Authorization": "Bearer s3cret-token"}).get_json()
    assert body["figures"]["database_up"] is True
