import datetime as dt

import time_machine
from sqlalchemy import func, select

from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.notifications.service import queue_email, queue_many


def _queue(user, key="test:1", **extra):
    message = queue_email(org_id=user.org_id, user_id=user.id, dedupe_key=key, kind="sign-in",
                          to_email=user.email, subject="Hello", template="sign-in",
                          user=user, link="http://localhost/x", minutes=15, **extra)
    db.session.commit()
    return message


def test_planning_the_same_message_twice_inserts_one_row(participant):
    assert _queue(participant) is not None
    assert _queue(participant) is None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_delivery_sends_text_and_html_over_real_smtp(participant, smtp_server):
    message = _queue(participant)
    assert delivery.deliver(message.id) == "sent"
    [email] = smtp_server.messages
    assert email["To"] == participant.email
    assert email.get_body(("plain",)).get_content().startswith("Hello Pat Participant")
    assert "<a href=" in email.get_body(("html",)).get_content()
    assert f"outbox-{message.id}" in email["Message-ID"]


def test_a_redelivered_task_does_not_send_twice(participant, smtp_server):
    message = _queue(participant)
    assert delivery.deliver(message.id) == "sent"
    assert delivery.deliver(message.id) == "skipped"
    assert len(smtp_server.messages) == 1


def test_a_message_claimed_by_another_worker_is_left_alone(participant, smtp_server):
    message = _queue(participant)
    assert delivery.claim(message.id)
    assert delivery.deliver(message.id) == "skipped"
    assert smtp_server.messages == []


def test_smtp_refusal_retries_with_backoff_then_fails_visibly(participant, smtp_server):
    smtp_server.refuse = 99
    start = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        message = _queue(participant)
        assert delivery.deliver(message.id) == "retry"
        db.session.refresh(message)
        assert message.status == "pending"
        assert message.due_at == start + dt.timedelta(minutes=1)
        assert "451" in message.last_error
        assert delivery.deliver(message.id) == "skipped"  # not due yet
        outcomes = []
        for _ in range(5):
            clock.move_to(message.due_at)
            outcomes.append(delivery.deliver(message.id))
            db.session.refresh(message)
    assert outcomes == ["retry", "retry", "retry", "retry", "failed"]
    assert message.status == "failed" and message.attempts == delivery.MAX_ATTEMPTS
    assert smtp_server.messages == []


def test_smtp_recovering_delivers_exactly_once(participant, smtp_server):
    smtp_server.refuse = 1
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        message = _queue(participant)
        assert delivery.deliver(message.id) == "retry"
        clock.shift(dt.timedelta(minutes=2))
        assert delivery.deliver_due() == {"sent": 1}
        assert delivery.deliver_due() == {}
    assert len(smtp_server.messages) == 1


def test_rows_left_sending_by_a_dead_worker_are_released(participant, smtp_server):
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        message = _queue(participant)
        assert delivery.claim(message.id)  # ...and the worker dies here
        assert delivery.release_stuck() == 0  # a live worker may still be sending
        clock.shift(delivery.STUCK_AFTER + dt.timedelta(seconds=1))
        assert delivery.release_stuck() == 1
        assert delivery.deliver(message.id) == "sent"
    assert len(smtp_server.messages) == 1


def test_messages_for_later_wait_until_due(participant, smtp_server):
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        message = _queue(participant, due_at=dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC))
        assert delivery.deliver_due() == {}
        clock.move_to(message.due_at)
        assert delivery.deliver_due() == {"sent": 1}


def test_unsubscribe_headers_follow_rfc_8058(participant, smtp_server):
    message = _queue(participant, unsubscribe_url="http://localhost/unsubscribe/abc")
    delivery.deliver(message.id)
    [email] = smtp_server.messages
    assert email["List-Unsubscribe"] == "<http://localhost/unsubscribe/abc>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_invitation_keeps_its_text_but_not_a_working_link_once_sent(
        participant, smtp_server, make_cohort, enroll, org):
    from wellbeing.cohorts.invitations import invite
    cohort = make_cohort(org=org, name="Spring circle", start=dt.date(2030, 3, 4), weeks=10)
    invite(enroll(participant, cohort), cohort, participant)
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).filter_by(kind="invitation"))
    assert "a 10-week self-compassion course" in message.body_text
    assert "It starts on Monday 4 March 2030" in message.body_text
    assert "opens at 09:00 (Europe/London time)" in message.body_html
    link = next(w for w in message.body_text.split() if "/signin/link/" in w)
    assert delivery.deliver(message.id) == "sent"
    assert link in smtp_server.messages[0].get_body(("plain",)).get_content()
    db.session.refresh(message)
    assert link not in message.body_text and link not in message.body_html
    assert "/signin/link/(removed-after-sending)" in message.body_text
    assert "Spring circle" in message.body_text


def _merged(user, key, **extra):
    return {"org_id": user.org_id, "user_id": user.id, "dedupe_key": key,
            "kind": "invitation", "to_email": user.email, "subject": "Hello",
            "body_text": f"text {key}", **extra}


def test_a_bulk_write_skips_planned_and_repeated_keys_and_says_what_it_wrote(participant):
    _queue(participant, key="merge:0")
    rows = [_merged(participant, f"merge:{n}") for n in range(1_000)]  # over one IN batch
    rows.append(_merged(participant, "merge:5", body_text="a repeat"))
    written = queue_many(rows)
    db.session.commit()
    assert [r["dedupe_key"] for r in written] == [f"merge:{n}" for n in range(1, 1_000)]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1_000
    stored = db.session.scalar(select(OutboxMessage).filter_by(dedupe_key="merge:5"))
    assert (stored.body_text, stored.status, stored.attempts) == ("text merge:5", "pending", 0)
    assert stored.body_html is None and stored.enrollment_id is None
    assert queue_many(rows) == []


def test_a_bulk_write_for_later_leaves_the_worker_alone_until_beat(participant,
                                                                   handed_to_worker):
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    queue_many([_merged(participant, f"later:{n}", due_at=tomorrow) for n in range(3)])
    db.session.commit()
    assert handed_to_worker() == []
    queue_many([_merged(participant, "now:1"), _merged(participant, "later:9", due_at=tomorrow)])
    db.session.commit()
    assert handed_to_worker() == ["wellbeing.sweep_outbox"]
