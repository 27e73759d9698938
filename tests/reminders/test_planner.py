"""The planner writes each reminder once, to the right people, at the right local time,
and what no longer applies is cancelled rather than sent (real SMTP server)."""
import datetime as dt

import time_machine

from wellbeing.cohorts.models import WITHDRAWN
from wellbeing.cohorts.service import update_cohort
from wellbeing.cohorts.settings import CohortSettings
from wellbeing.course.models import ModuleOpened
from wellbeing.extensions import db
from wellbeing.reminders.models import MailPreference
from wellbeing.surveys.models import SurveyCompletion

from .helpers import at, plan_at, received, rows, send_at

START = dt.date(2026, 3, 2)  # a Monday; London is on GMT until 29 March


def _cohort(make_cohort, org, **fields):
    fields.setdefault("start", START)
    return make_cohort(org=org, name="Spring", **fields)


def _people(make_user, enroll, cohort, org, n=3, **user_fields):
    found = []
    for i in range(n):
        user = make_user(org=org, email=f"p{i}@acme.example.com", name=f"P {i}", **user_fields)
        found.append((user, enroll(user, cohort)))
    return found


def test_each_active_participant_gets_one_mail_when_a_week_opens(
        make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort(make_cohort, org)
    people = _people(make_user, enroll, cohort, org)
    gone = make_user(org=org, email="left@acme.example.com")
    enroll(gone, cohort, status=WITHDRAWN)
    plan_at(at(2026, 3, 9, 8, 30))  # week 2 opens at 09:00: planned, not yet due
    assert send_at(at(2026, 3, 9, 8, 59)) == {}
    assert [r.status for r in rows("week-opened", week=2)] == ["pending"] * 3
    # Each counts for the cohort it was planned for, whatever happens to the person later.
    assert {r.cohort_id for r in rows("week-opened", week=2)} == {cohort.id}
    plan_at(at(2026, 3, 9, 9, 1))  # a second run plans nothing twice
    send_at(at(2026, 3, 9, 9, 1))
    for user, _ in people:
        [mail] = received(smtp_server, "Week 2 is open", to=user.email)
        assert "Acme Care" in mail["Subject"]
        text = mail.get_body(("plain",)).get_content()
        assert "/signin/link/" in text and "Acme Care" in text
        assert mail["List-Unsubscribe"].startswith("<http://localhost/reminders/unsubscribe/")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received(smtp_server, "Week 2", to=gone.email) == []
    assert len(received(smtp_server, "Week 2 is open")) == 3
    plan_at(at(2026, 3, 9, 9, 30))
    assert send_at(at(2026, 3, 9, 9, 30)) == {}


def test_the_link_signs_the_person_in_and_lands_on_the_week(
        client, make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort(make_cohort, org)
    [(user, _)] = _people(make_user, enroll, cohort, org, n=1)
    plan_at(at(2026, 3, 9, 9, 1))
    send_at(at(2026, 3, 9, 9, 1))
    [mail] = received(smtp_server, "Week 2 is open")
    link = next(word for word in mail.get_body(("plain",)).get_content().split()
                if "/signin/link/" in word)
    with time_machine.travel(at(2026, 3, 10, 7, 0), tick=False):
        response = client.post(link.removeprefix("http://localhost"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/course/weeks/2")


def test_a_survey_reminder_goes_only_to_those_who_have_not_answered(
        make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort(make_cohort, org)
    (done_user, done), (late_user, late), (other_user, other) = _people(
        make_user, enroll, cohort, org)
    db.session.add(SurveyCompletion(org_id=org.id, enrollment_id=done.id, wave="pre"))
    db.session.commit()
    # The pre survey closes when week 2 opens (Mon 9 Mar 09:00); the reminder is two
    # days before, Sat 7 Mar 09:00.
    plan_at(at(2026, 3, 7, 8, 0))
    # Answered after the reminder was planned: cancelled at send time, not sent.
    db.session.add(SurveyCompletion(org_id=org.id, enrollment_id=late.id, wave="pre"))
    db.session.commit()
    send_at(at(2026, 3, 7, 9, 0))
    assert [m["To"] for m in received(smtp_server, "Two days left")] == [other_user.email]
    by_person = {r.enrollment_id: r for r in rows("survey-reminder", wave="pre")}
    assert done.id not in by_person
    assert by_person[late.id].status == "cancelled"
    assert "no longer applies" in by_person[late.id].last_error


def test_a_nudge_goes_once_three_days_after_release_only_if_the_week_is_unopened(
        make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort(make_cohort, org)
    (reader, reading), (other, _) = _people(make_user, enroll, cohort, org, n=2)
    db.session.add(ModuleOpened(org_id=org.id, enrollment_id=reading.id,
                                cohort_id=reading.cohort_id, week=2,
                                opened_on=dt.date(2026, 3, 10)))
    db.session.commit()
    for moment in (at(2026, 3, 12, 9, 0), at(2026, 3, 12, 9, 5), at(2026, 3, 13, 9, 0)):
        plan_at(moment)
        send_at(moment)
    assert [m["To"] for m in received(smtp_server, "Week 2 is waiting")] == [other.email]


def test_no_nudge_after_the_course_ends(make_cohort, make_user, enroll, org, smtp_server):
    # A one-week course ends when week 2 would open; its nudge (day 3) still fits, but
    # nothing is planned once the course is over.
    cohort = _cohort(make_cohort, org, weeks=1)
    _people(make_user, enroll, cohort, org, n=1)
    plan_at(at(2026, 3, 9, 9, 30))
    send_at(at(2026, 3, 9, 9, 30))
    assert rows("nudge") == []


def test_reminders_wait_for_the_end_of_each_persons_quiet_hours(
        make_cohort, make_user, enroll, org, smtp_server):
    # Weeks open at 12:00 London (GMT): 21:00 in Tokyo, 05:00 in Los Angeles (already on
    # summer time since 8 March).
    cohort = _cohort(make_cohort, org, release=dt.time(12, 0))
    london = make_user(org=org, email="london@acme.example.com")
    tokyo = make_user(org=org, email="tokyo@acme.example.com", timezone="Asia/Tokyo")
    los_angeles = make_user(org=org, email="la@acme.example.com",
                            timezone="America/Los_Angeles")
    owl = make_user(org=org, email="owl@acme.example.com")
    db.session.add(MailPreference(user_id=owl.id, week_opened=True, nudges=True,
                                  survey_reminders=True, quiet_start=dt.time(11, 0),
                                  quiet_end=dt.time(15, 45)))
    for user in (london, tokyo, los_angeles, owl):
        enroll(user, cohort)
    plan_at(at(2026, 3, 9, 11, 0))
    due = {r.to_email: r.due_at for r in rows("week-opened", week=2)}
    assert due == {"london@acme.example.com": at(2026, 3, 9, 12, 0),
                   "tokyo@acme.example.com": at(2026, 3, 9, 23, 0),
                   "la@acme.example.com": at(2026, 3, 9, 15, 0),
                   "owl@acme.example.com": at(2026, 3, 9, 15, 45)}
    send_at(at(2026, 3, 9, 12, 0))
    assert [m["To"] for m in received(smtp_server, "Week 2")] == ["london@acme.example.com"]
    send_at(at(2026, 3, 9, 23, 0))
    assert len(received(smtp_server, "Week 2")) == 4


def test_quiet_hours_spanning_a_clock_change_end_at_eight_local(
        make_cohort, make_user, enroll, org, smtp_server):
    # Week 2 opens Sun 8 Mar 03:00 UTC: 22:00 on Saturday in New York, where clocks go
    # forward at 02:00 that night. 08:00 EDT is 12:00 UTC, not 13:00.
    cohort = _cohort(make_cohort, org, start=dt.date(2026, 3, 1), tz="UTC",
                     release=dt.time(3, 0))
    enroll(make_user(org=org, email="ny@acme.example.com", timezone="America/New_York"),
           cohort)
    plan_at(at(2026, 3, 8, 2, 0))
    [row] = rows("week-opened", week=2)
    assert row.due_at == at(2026, 3, 8, 12, 0)
    send_at(at(2026, 3, 8, 11, 59))
    assert received(smtp_server, "Week 2") == []
    send_at(at(2026, 3, 8, 12, 0))
    assert len(received(smtp_server, "Week 2")) == 1


def _settings(cohort, **changes):
    fields = {k: getattr(cohort, k) for k in ("name", "start_date", "release_time",
                                               "timezone", "weeks", "capacity")}
    return CohortSettings(**{**fields, **changes})


def test_rescheduling_re_plans_every_unsent_message(
        make_cohort, make_user, enroll, org, admin, smtp_server):
    cohort = _cohort(make_cohort, org)
    _people(make_user, enroll, cohort, org, n=2)
    plan_at(at(2026, 3, 9, 8, 0))  # week 2 mail planned for 09:00 London
    with time_machine.travel(at(2026, 3, 9, 8, 5), tick=False):
        update_cohort(cohort, admin, _settings(cohort, release_time=dt.time(10, 30),
                                               timezone="Europe/Berlin"), [],
                      at(2026, 3, 9, 8, 5))
        db.session.commit()
    # 10:30 in Berlin (CET) is 09:30 UTC.
    assert {r.due_at for r in rows("week-opened", week=2)} == {at(2026, 3, 9, 9, 30)}
    send_at(at(2026, 3, 9, 9, 1))
    assert received(smtp_server, "Week 2") == []
    send_at(at(2026, 3, 9, 9, 30))
    assert len(received(smtp_server, "Week 2")) == 2


def test_switching_a_kind_off_cancels_what_was_planned(
        make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort(make_cohort, org)
    [(user, _)] = _people(make_user, enroll, cohort, org, n=1)
    plan_at(at(2026, 3, 9, 8, 0))
    db.session.add(MailPreference(user_id=user.id, week_opened=False, nudges=True,
                                  survey_reminders=True, quiet_start=dt.time(20, 0),
                                  quiet_end=dt.time(8, 0)))
    db.session.commit()
    send_at(at(2026, 3, 9, 9, 0))
    assert received(smtp_server, "Week 2") == []
    assert [r.status for r in rows("week-opened", week=2)] == ["cancelled"]


def test_an_idle_minute_plans_nothing_and_skips_the_full_pass(
        make_cohort, make_user, enroll, org):
    cohort = _cohort(make_cohort, org)
    _people(make_user, enroll, cohort, org, n=2)
    assert plan_at(at(2026, 3, 9, 9, 0))["cohorts"] == 1
    # Nothing of this cohort comes due within the next twelve hours of 9:01.
    assert plan_at(at(2026, 3, 9, 9, 1)) == {"cohorts": 0, "planned": 0, "moved": 0,
                                             "cancelled": 0}


def test_post_survey_open_and_closing_reminder_and_the_follow_up(
        make_cohort, make_user, enroll, org, smtp_server):
    from wellbeing.surveys.models import CohortSurveyPlan
    cohort = _cohort(make_cohort, org, weeks=2)  # ends Mon 16 Mar
    db.session.add(CohortSurveyPlan(cohort_id=cohort.id, org_id=org.id,
                                    instruments="SCS-SF", followup_enabled=True,
                                    followup_weeks=4))
    db.session.commit()
    (answered, answered_e), (waiting, _) = _people(make_user, enroll, cohort, org, n=2)
    # The post survey opens on the last week's final day, Sun 15 Mar 09:00.
    plan_at(at(2026, 3, 15, 9, 0))
    send_at(at(2026, 3, 15, 9, 0))
    assert len(received(smtp_server, "Your survey is open: After the course")) == 2
    db.session.add(SurveyCompletion(org_id=org.id, enrollment_id=answered_e.id, wave="post"))
    db.session.commit()
    # It closes 14 days after the course's last day, Sun 29 Mar 09:00 BST (the clocks
    # changed that night); the reminder is two days before, Fri 27 Mar 09:00 GMT.
    plan_at(at(2026, 3, 27, 9, 0))
    send_at(at(2026, 3, 27, 9, 0))
    assert [m["To"] for m in received(smtp_server, "Two days left")] == [waiting.email]
    # The follow-up opens four weeks after the course: Mon 13 Apr 09:00 BST = 08:00 UTC.
    plan_at(at(2026, 4, 13, 7, 59))
    assert send_at(at(2026, 4, 13, 7, 59)) == {}
    send_at(at(2026, 4, 13, 8, 0))
    assert len(received(smtp_server, "Your survey is open: Follow-up")) == 2
