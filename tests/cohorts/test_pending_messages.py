"""A cohort finds the messages it has not sent yet by their enrollment_id column, never by
reading their keys: a schedule change moves them, a withdrawal cancels them, whatever
their key looks like."""
import datetime as dt

import time_machine
from sqlalchemy import select

from wellbeing.cohorts import schedule
from wellbeing.cohorts.models import Enrollment
from wellbeing.extensions import db
from wellbeing.notifications.models import CANCELLED, PENDING, OutboxMessage
from wellbeing.notifications.pending import shift_pending
from wellbeing.notifications.service import queue_email

from .helpers import invitations, messages, preview_url, upload

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


def queue(person, key, due_at, **columns):
    if columns.get("enrollment_id"):
        columns["cohort_id"] = db.session.get(Enrollment, columns["enrollment_id"]).cohort_id
    row = queue_email(org_id=person.org_id, user_id=person.id, kind="reminder",
                      dedupe_key=key, to_email=person.email, subject="s",
                      template="invitation", due_at=due_at, user=person, link="http://x",
                      minutes=60, **columns)
    db.session.commit()
    return row


@time_machine.travel(NOW, tick=False)
def test_a_rescheduled_cohort_moves_its_messages_whatever_their_keys(
        client, login, admin, make_cohort, org, participant, enroll):
    cohort = make_cohort(org=org, start=dt.date(2026, 4, 6), tz="Europe/Berlin")
    enrollment = enroll(participant, cohort)
    opens = schedule.openings(cohort)
    odd = queue(participant, "practice reminder a1b2", opens[1] + dt.timedelta(days=2),
                enrollment_id=enrollment.id)
    plain = queue(participant, f"week-opened:{enrollment.id}:3", opens[2],
                  enrollment_id=enrollment.id)
    # Reads like the old pattern, but names no enrollment: not this cohort's to move.
    lookalike = queue(participant, f"week-opened:{enrollment.id}:2", opens[1])
    login(client, admin)
    data = {"name": cohort.name, "start_date": "2026-04-13",
            "release_time": "09:00", "timezone": cohort.timezone, "weeks": "8"}
    done = client.post(f"/cohorts/{cohort.id}/edit", data=data, follow_redirects=True)
    assert "Emails not sent yet follow the new dates" in done.get_data(as_text=True)
    db.session.expire_all()
    week = dt.timedelta(days=7)
    assert db.session.get(OutboxMessage, odd.id).due_at == opens[1] + dt.timedelta(days=2) + week
    assert db.session.get(OutboxMessage, plain.id).due_at == opens[2] + week
    assert db.session.get(OutboxMessage, lookalike.id).due_at == opens[1]


def test_a_message_that_names_its_week_moves_with_that_week(make_cohort, participant, enroll,
                                                            org):
    cohort = make_cohort(org=org, start=dt.date(2026, 4, 6), weeks=8)
    enrollment = enroll(participant, cohort)
    old = schedule.openings(cohort)
    eve = old[2] - dt.timedelta(hours=12)  # in week 2 by its time, about week 3
    named = queue(participant, "eve-of-week-3", eve, enrollment_id=enrollment.id, week=3)
    timed = queue(participant, "midweek-2", eve, enrollment_id=enrollment.id)
    new = schedule.openings_for(cohort.start_date, cohort.release_time, cohort.timezone, 2)
    assert shift_pending([enrollment.id], old, new, NOW) == (0, 1)
    assert named.status == CANCELLED  # week 3 is gone
    assert timed.status == PENDING and timed.due_at == eve  # week 2 did not move


def test_withdrawing_cancels_the_invitations_and_course_changes_sent_about_it(
        client, login, admin, make_cohort, org):
    """Invitations (one by one and imported) and 'your course has changed' carry their
    enrollment, so withdrawing finds and cancels what is still waiting."""
    march = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    april = make_cohort(org=org, start=dt.date(2030, 4, 1), name="April")
    login(client, admin)
    client.post(f"/cohorts/{march.id}/enroll", data={"one-email": "solo@acme.example.com",
                                                     "one-name": "Solo Person"})
    client.post(preview_url(upload(client, march, "email,name\na@acme.example.com,Ann A\n"
                                                  "b@acme.example.com,Ben B\n")))
    by_email = {m.to_email: m for m in invitations()}
    enrollment_of = {e.user.email: e for e in db.session.scalars(select(Enrollment))}
    assert {email: m.enrollment_id for email, m in by_email.items()} == {
        email: enrollment_of[email].id for email in by_email}
    moved = enrollment_of["b@acme.example.com"]
    client.post(f"/cohorts/{march.id}/enrollments/{moved.id}/move", data={"target": april.id})
    [course_change] = messages("moved")
    assert course_change.enrollment_id == moved.id
    for email in ("solo@acme.example.com", "b@acme.example.com"):
        enrollment = enrollment_of[email]
        client.post(f"/cohorts/{enrollment.cohort_id}/enrollments/{enrollment.id}/withdraw")
    db.session.expire_all()
    status = {(m.kind, m.to_email): m.status for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind != "sign-in"))}
    assert status == {("invitation", "solo@acme.example.com"): CANCELLED,
                      ("invitation", "a@acme.example.com"): PENDING,
                      ("invitation", "b@acme.example.com"): CANCELLED,
                      ("moved", "b@acme.example.com"): CANCELLED}
