"""Reminders through the real parts: the planner at a controlled time, then a real Celery
worker (Redis on the PostgreSQL tier, the folder broker on SQLite) sends over a real SMTP
server; every count is taken at the SMTP server.

The worker runs on the real clock, so the cohort is placed so that the controlled
moments are a few minutes around now."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.notifications.test_worker import _wait_for
from wellbeing.cohorts.models import WITHDRAWN
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.reminders.models import MailPreference
from wellbeing.reminders.planner import plan_due_messages
from wellbeing.surveys.models import SurveyCompletion

pytestmark = pytest.mark.services
UTC = dt.UTC


def _cohort_with_moment(make_cohort, org, moment: dt.datetime, days_after_start: int):
    """A cohort in UTC whose day `days_after_start` at release time is `moment`."""
    return make_cohort(org=org, name="Now", tz="UTC",
                       start=moment.date() - dt.timedelta(days=days_after_start),
                       release=moment.time().replace(second=0, microsecond=0))


def _person(make_user, enroll, cohort, org, email, **enroll_kw):
    user = make_user(org=org, email=email)
    # No quiet hours: this test is about who gets mail, not when.
    db.session.add(MailPreference(user_id=user.id, week_opened=True, nudges=True,
                                  survey_reminders=True, quiet_start=dt.time(0, 0),
                                  quiet_end=dt.time(0, 0)))
    db.session.commit()
    return user, enroll(user, cohort, **enroll_kw)


def _plan(moment):
    with time_machine.travel(moment, tick=False):
        plan_due_messages(now_utc())
        db.session.commit()


def _all_settled():
    db.session.expire_all()
    return not db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status.in_(("pending", "sending")))).all()


def test_a_week_opens_and_each_active_participant_gets_exactly_one_mail(
        app, make_cohort, make_user, enroll, org, celery_worker, smtp_server):
    opening = (dt.datetime.now(UTC) - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    cohort = _cohort_with_moment(make_cohort, org, opening, 7)  # week 2 opens then
    active = [_person(make_user, enroll, cohort, org, f"a{i}@acme.example.com")[0]
              for i in range(3)]
    gone, _ = _person(make_user, enroll, cohort, org, "gone@acme.example.com",
                      status=WITHDRAWN)
    _plan(opening - dt.timedelta(minutes=1))
    planned = db.session.scalars(select(OutboxMessage).filter_by(kind="week-opened",
                                                                 week=2)).all()
    assert {m.due_at for m in planned} == {opening} and len(planned) == 3
    _plan(opening + dt.timedelta(seconds=30))  # the next minute's run adds nothing
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: len(smtp_server.messages) >= 3), "the worker sent nothing"
    assert _wait_for(_all_settled)
    week2 = [m["To"] for m in smtp_server.messages if "Week 2 is open" in m["Subject"]]
    assert sorted(week2) == sorted(u.email for u in active)
    assert gone.email not in [m["To"] for m in smtp_server.messages]


def test_who_finished_the_survey_gets_no_reminder_from_the_worker(
        app, make_cohort, make_user, enroll, org, celery_worker, smtp_server):
    # The pre survey closes when week 2 opens; its reminder is two days before (day 5).
    moment = (dt.datetime.now(UTC) - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    cohort = _cohort_with_moment(make_cohort, org, moment, 5)
    _, done = _person(make_user, enroll, cohort, org, "done@acme.example.com")
    _, answered_late = _person(make_user, enroll, cohort, org, "late@acme.example.com")
    waiting, _ = _person(make_user, enroll, cohort, org, "waiting@acme.example.com")
    db.session.add(SurveyCompletion(org_id=org.id, enrollment_id=done.id, wave="pre"))
    db.session.commit()
    _plan(moment - dt.timedelta(minutes=1))
    # Answered after planning, before sending: the worker must cancel, not send.
    db.session.add(SurveyCompletion(org_id=org.id, enrollment_id=answered_late.id,
                                    wave="pre"))
    db.session.commit()
    app.extensions["celery"].send_task("wellbeing.sweep_outbox")
    assert _wait_for(lambda: smtp_server.messages), "the worker sent nothing"
    assert _wait_for(_all_settled)
    assert [m["To"] for m in smtp_server.messages] == [waiting.email]
    late_row = db.session.scalar(select(OutboxMessage).filter_by(
        enrollment_id=answered_late.id, kind="survey-reminder"))
    assert late_row.status == "cancelled"


def test_the_worker_runs_the_planner_that_beat_schedules(
        app, make_cohort, make_user, enroll, org, celery_worker, smtp_server):
    opening = (dt.datetime.now(UTC) - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    cohort = _cohort_with_moment(make_cohort, org, opening, 14)  # week 3
    user, _ = _person(make_user, enroll, cohort, org, "solo@acme.example.com")
    app.extensions["celery"].send_task("wellbeing.plan_due_messages")
    # The worker's planner commits and hands the due mail to a sweep after its commit.
    assert _wait_for(lambda: smtp_server.messages), "the planner task planned nothing"
    [mail] = smtp_server.messages
    assert mail["To"] == user.email and "Week 3 is open" in mail["Subject"]
