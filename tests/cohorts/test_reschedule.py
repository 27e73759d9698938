"""Rescheduling moves what has not happened yet, and asks before closing opened weeks."""
import datetime as dt

import time_machine
from sqlalchemy import select

from wellbeing.audit.models import AuditEvent
from wellbeing.cohorts import schedule
from wellbeing.cohorts.models import Cohort
from wellbeing.extensions import db
from wellbeing.notifications.models import CANCELLED, PENDING, SENT, OutboxMessage
from wellbeing.notifications.pending import shift_pending
from wellbeing.notifications.service import queue_email

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # Wed of week 3 of a cohort from 2 Mar


def message(enrollment, kind, due_at, status=PENDING, suffix=""):
    row = queue_email(org_id=enrollment.org_id, user_id=enrollment.user_id, kind=kind,
                      enrollment_id=enrollment.id, cohort_id=enrollment.cohort_id,
                      dedupe_key=f"{kind}:{enrollment.id}{suffix}",
                      to_email="x@example.com", subject="s", template="invitation",
                      due_at=due_at, user=enrollment.user, link="http://x", minutes=60)
    row.status = status
    db.session.commit()
    return row


def form(cohort, **changes):
    data = {"name": cohort.name, "start_date": cohort.start_date.isoformat(),

            "release_time": cohort.release_time.strftime("%H:%M"), "timezone": cohort.timezone,
            "weeks": str(cohort.weeks)}
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
def test_moving_a_running_cohort_asks_which_weeks_close(client, login, admin, make_cohort,
                                                        org, participant, enroll):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="Europe/Berlin")
    enrollment = enroll(participant, cohort)
    week4 = message(enrollment, "week-opened", schedule.cohort_week_opens_at(cohort, 4),
                    suffix=":4")
    login(client, admin)
    # One week later: week 3 (opened Mon 16 Mar) would open on 23 Mar instead.
    data = form(cohort, start_date="2026-03-09")
    response = client.post(f"/cohorts/{cohort.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "weeks that are already open" in page and "<strong>3</strong>" in page
    assert "Week 3: opened Mon 16 Mar 2026, 09:00 Berlin, would reopen Mon 23 Mar 2026" in page
    assert "Yes, change the schedule" in page
    assert db.session.get(Cohort, cohort.id).start_date == dt.date(2026, 3, 2)  # not yet
    confirm = dict(data, confirm_close="2026-03-09|09:00:00|Europe/Berlin|8")
    assert 'value="2026-03-09|09:00:00|Europe/Berlin|8"' in page
    done = client.post(f"/cohorts/{cohort.id}/edit", data=confirm, follow_redirects=True)
    assert "Emails not sent yet follow the new dates" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).start_date == dt.date(2026, 3, 9)
    assert db.session.get(OutboxMessage, week4.id).due_at == dt.datetime(2026, 3, 30, 7, tzinfo=UTC)
    event = db.session.scalar(select(AuditEvent).filter_by(action="cohort.updated"))
    assert "closed again: weeks 3" in event.summary
    assert "week 1 now opens 2026-03-09 09:00 Europe/Berlin" in event.summary  # cohort's time


@time_machine.travel(NOW, tick=False)
def test_a_changed_proposal_is_confirmed_again(client, login, admin, make_cohort, org):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="Europe/Berlin")
    login(client, admin)
    # HR confirmed a one-week move, then edits the date to two weeks before pressing.
    stale = form(cohort, start_date="2026-03-16",
                 confirm_close="2026-03-09|09:00:00|Europe/Berlin|8")
    response = client.post(f"/cohorts/{cohort.id}/edit", data=stale)
    assert response.status_code == 409 and "<strong>2, 3</strong>" in response.get_data(
        as_text=True)


@time_machine.travel(NOW, tick=False)
def test_moving_a_future_only_change_needs_no_confirmation(client, login, admin, make_cohort, org):
    cohort = make_cohort(org=org, start=dt.date(2026, 4, 6), tz="America/New_York")
    login(client, admin)
    response = client.post(f"/cohorts/{cohort.id}/edit",
                           data=form(cohort, release_time="10:30"))
    assert response.status_code == 302


def test_shift_moves_future_pending_rows_by_their_weeks_change(make_cohort, make_user, enroll,
                                                               org):
    # New York cohort; moved from 2 Mar (before US DST) to 9 Mar (after): local time kept.
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="America/New_York", weeks=3)
    other_cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="America/New_York")
    person, bystander = make_user(org=org), make_user(org=org)
    mine, theirs = enroll(person, cohort), enroll(bystander, other_cohort)
    now = dt.datetime(2026, 2, 20, tzinfo=UTC)
    old = schedule.openings(cohort)
    reminder = message(mine, "week-opened", old[0] + dt.timedelta(days=2), suffix=":1")
    last = message(mine, "week-opened", old[2], suffix=":3")
    sent = message(mine, "nudge", old[1], status=SENT, suffix=":2")
    untouched = message(theirs, "week-opened", old[1], suffix=":2")
    past = message(mine, "pre-survey", now - dt.timedelta(hours=1))
    new = schedule.openings_for(dt.date(2026, 3, 9), cohort.release_time, cohort.timezone, 2)
    with time_machine.travel(now, tick=False):
        moved, cancelled = shift_pending([mine.id], old, new, now)
    db.session.commit()
    assert (moved, cancelled) == (1, 1)
    # 2 days after week 1 (Mon 2 Mar 09:00 EST = 14:00Z) → 2 days after 9 Mar 09:00 EDT.
    assert reminder.due_at == dt.datetime(2026, 3, 11, 13, tzinfo=UTC)
    assert last.status == CANCELLED  # week 3 no longer exists
    assert sent.due_at == old[1] and sent.status == SENT
    assert untouched.due_at == old[1] and untouched.status == PENDING
    assert past.due_at == now - dt.timedelta(hours=1) and past.status == PENDING


def test_moving_earlier_cancels_what_would_now_be_in_the_past(make_cohort, make_user, enroll,
                                                              org):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="Asia/Kolkata", weeks=4)
    mine = enroll(make_user(org=org), cohort)
    old = schedule.openings(cohort)
    week3 = message(mine, "week-opened", old[2], suffix=":3")
    week4 = message(mine, "week-opened", old[3], suffix=":4")
    now = old[1] + dt.timedelta(days=1)
    new = schedule.openings_for(dt.date(2026, 2, 23), cohort.release_time, cohort.timezone, 4)
    assert shift_pending([mine.id], old, new, now) == (1, 1)
    assert week3.status == CANCELLED  # its new moment (16 Mar) is before now (17 Mar)
    assert week4.due_at == old[2] and week4.status == PENDING
