"""Participants join, see their schedule, download a calendar and can leave; HR can
withdraw and move people; facilitators see a roster."""
import datetime as dt
import re

import icalendar
import time_machine
from sqlalchemy import select

from wellbeing.audit.models import AuditEvent
from wellbeing.cohorts import schedule
from wellbeing.cohorts.models import ACTIVE, INVITED, WITHDRAWN, Enrollment
from wellbeing.course.models import ModuleProgress
from wellbeing.extensions import db
from wellbeing.notifications.models import CANCELLED
from wellbeing.notifications.service import queue_email

from .helpers import messages

UTC = dt.UTC


def pending(enrollment, kind, due_at, suffix=""):
    row = queue_email(org_id=enrollment.org_id, user_id=enrollment.user_id, kind=kind,
                      enrollment_id=enrollment.id, cohort_id=enrollment.cohort_id,
                      dedupe_key=f"{kind}:{enrollment.id}{suffix}",
                      to_email="x@example.com", subject="s", template="invitation",
                      due_at=due_at, user=enrollment.user, link="http://x", minutes=60)
    db.session.commit()
    return row


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False)
def test_first_visit_joins_and_shows_the_next_opening_in_local_time(client, login, org,
                                                                    make_user, make_cohort,
                                                                    enroll):
    person = make_user(org=org, timezone="America/New_York", name="Nia")
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="Europe/Berlin")
    enrollment = enroll(person, cohort, status=INVITED)
    login(client, person)
    page = client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    assert "Welcome, Nia" in page and "Weeks 1–2 are open now" in page
    # Week 3: Mon 16 Mar 09:00 Berlin (08:00Z) = 04:00 in New York (already on EDT).
    assert "Opens <strong>Mon 16 Mar 2026, 04:00 New York</strong>" in page
    assert "(09:00 Berlin, the cohort's time zone)" in page
    # What staff see, told truthfully: that they joined, never their progress.
    assert "Your facilitator and HR see that you joined, nothing more" in page
    assert "how many weekly modules" not in page
    db.session.expire_all()
    row = db.session.get(Enrollment, enrollment.id)
    assert row.status == ACTIVE and row.joined_at == dt.datetime(2026, 3, 10, 12, tzinfo=UTC)
    with time_machine.travel(dt.datetime(2026, 3, 11, tzinfo=UTC), tick=False):
        again = client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    assert "Welcome, Nia" not in again
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).joined_at.day == 10
    assert [e.action for e in db.session.scalars(select(AuditEvent))] == ["enrollment.joined"]


def test_a_live_sessions_web_address_is_a_link_and_anything_else_stays_text(
        client, login, participant, make_cohort, enroll, org):
    meet = "https://meet.example.com/abc"
    odd = "http://x.example/a?b=1&c=<b>"
    shown = {meet: f'<a href="{meet}" rel="noopener">{meet}</a>',
             odd: '<a href="http://x.example/a?b=1&amp;c=&lt;b&gt;" rel="noopener">'
                  'http://x.example/a?b=1&amp;c=&lt;b&gt;</a>',
             "Room 4, second floor": "Room 4, second floor",
             "javascript:alert(1)": "javascript:alert(1)",
             "ftp://files.example.com/room": "ftp://files.example.com/room",
             "https://meet.example.com/abc or Room 4": "https://meet.example.com/abc or Room 4"}
    login(client, participant)
    for place, html in shown.items():
        cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), live_session_place=place,
                             live_session_time=dt.time(12, 30), live_session_minutes=60)
        enroll(participant, cohort)
        page = client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
        notice = re.search(r'<p class="notice">Live group session.*?</p>', page, re.S).group(0)
        assert f"60 minutes: {html}." in notice
        assert notice.count("<a ") == (1 if html.startswith("<a ") else 0), notice


def test_calendar_download(client, login, participant, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 16), tz="Europe/Berlin", weeks=8)
    enroll(participant, cohort)
    login(client, participant)
    response = client.get(f"/welcome/{cohort.id}/calendar.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.data)
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert [s.astimezone(UTC) for s in starts] == schedule.openings(cohort)
    assert {(s.hour, s.minute) for s in starts} == {(9, 0)}


def test_participant_leaves_and_gets_no_more_email(client, login, participant, make_cohort,
                                                   enroll, org):
    cohort = make_cohort(org=org, start=dt.date(2030, 3, 4))
    enrollment = enroll(participant, cohort)
    later = pending(enrollment, "week-opened", schedule.cohort_week_opens_at(cohort, 2), ":2")
    login(client, participant)
    page = client.get(f"/welcome/{cohort.id}/withdraw").get_data(as_text=True)
    assert "stay anonymous and are not linked to your name" in page
    assert "kept until you delete your account" in page
    assert "you get no more emails about this course" in page
    done = client.post(f"/welcome/{cohort.id}/withdraw", follow_redirects=True)
    assert "You have left" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == WITHDRAWN
    assert later.status == CANCELLED
    assert client.get(f"/welcome/{cohort.id}/calendar.ics").status_code == 404
    event = db.session.scalar(select(AuditEvent).filter_by(action="enrollment.withdrawn"))
    # Never how many were cancelled: reminders go only to people who are behind.
    assert event.summary == "Left the course; no more emails"


def test_after_leaving_the_practice_log_and_results_stay_readable(
        client, login, participant, make_cohort, enroll, org):
    """The leave page promises the practice log stays theirs: it stays readable (not
    writable), and their own survey results stay on My surveys."""
    from tests.surveys.helpers import BEFORE_START, IN_WEEK_1, START, default_answers
    from wellbeing.course.practice import add_entry
    from wellbeing.surveys import service
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START, name="Spring cohort")
        enrollment = enroll(participant, cohort)
    answers = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}
    assert service.submit_wave(enrollment, "pre", answers, IN_WEEK_1)
    add_entry(enrollment, START, "self-compassion-break", 12, "On the train")
    db.session.commit()
    login(client, participant)
    client.post(f"/welcome/{cohort.id}/withdraw")

    page = client.get("/course/practice").get_data(as_text=True)
    assert "You left Spring cohort. This is the practice you logged during it" in page
    assert "On the train" in page and "Log a practice" not in page and "Delete" not in page
    refused = client.post("/course/practice", data={"day": START.isoformat(), "minutes": "5",
                                                    "practice": "self-compassion-break"})
    assert refused.status_code == 403
    surveys = client.get("/surveys/").get_data(as_text=True)
    assert "You left this course, so it has no more surveys for you." in surveys
    assert "Take the survey" not in surveys
    results = client.get(f"/surveys/results?e={enrollment.id}")
    assert results.status_code == 200 and "Self-Compassion" in results.get_data(as_text=True)
    with time_machine.travel(IN_WEEK_1):
        assert client.get("/surveys/pre").status_code == 404  # no survey for a course left


def test_participants_cannot_open_staff_pages_or_others_enrollments(client, login, participant,
                                                                    make_user, make_cohort,
                                                                    enroll, org):
    cohort = make_cohort(org=org)
    enroll(make_user(org=org), cohort)
    login(client, participant)
    assert client.get(f"/welcome/{cohort.id}").status_code == 404
    assert client.get("/cohorts/").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_hr_withdraws_someone(client, login, admin, participant, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date(2030, 3, 4))
    enrollment = enroll(participant, cohort)
    later = pending(enrollment, "week-opened", schedule.cohort_week_opens_at(cohort, 2), ":2")
    login(client, admin)
    url = f"/cohorts/{cohort.id}/enrollments/{enrollment.id}/withdraw"
    assert "Withdraw Pat Participant" in client.get(url).get_data(as_text=True)
    roster = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Pat Participant is withdrawn" in roster and "Withdrawn" in roster
    assert later.status == CANCELLED


def test_hr_moves_someone_within_capacity_and_org(client, login, admin, participant, make_user,
                                                  make_cohort, enroll, org):
    source = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    full = make_cohort(org=org, start=dt.date(2030, 4, 1), name="April", capacity=1)
    target = make_cohort(org=org, start=dt.date(2030, 5, 6), name="May", tz="Europe/London")
    foreign = make_cohort(start=dt.date(2030, 5, 6), name="Elsewhere")
    enroll(make_user(org=org), full)
    enrollment = enroll(participant, source)
    db.session.add(ModuleProgress(org_id=org.id, enrollment_id=enrollment.id,
                                  cohort_id=enrollment.cohort_id, week=1,
                                  completed_on=dt.date(2030, 3, 5)))
    db.session.commit()
    week2 = pending(enrollment, "week-opened", schedule.cohort_week_opens_at(source, 2), ":2")
    login(client, admin)
    url = f"/cohorts/{source.id}/enrollments/{enrollment.id}/move"
    page = client.get(url).get_data(as_text=True)
    assert "April (starts 01 Apr 2030, 1 of 1 enrolled)" in page and "Elsewhere" not in page
    refused = client.post(url, data={"target": full.id})
    assert refused.status_code == 400 and "“April” is full (1 place)" in refused.get_data(
        as_text=True)
    assert client.post(url, data={"target": foreign.id}).status_code == 400
    moved = client.post(url, data={"target": target.id}, follow_redirects=True)
    assert "Pat Participant moved to “May”" in moved.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.get(Enrollment, enrollment.id)
    assert row.cohort_id == target.id
    assert week2.due_at == schedule.cohort_week_opens_at(target, 2)
    assert week2.cohort_id == target.id  # still to send: it goes with them
    roster = client.get(f"/cohorts/{target.id}").get_data(as_text=True)
    assert "Pat Participant" in roster
    kept = db.session.scalars(select(ModuleProgress.week).filter_by(enrollment_id=row.id)).all()
    # Still theirs (their own pages show it), and counted where they completed it.
    assert kept == [1]
    assert db.session.scalars(select(ModuleProgress.cohort_id)).all() == [source.id]
    # The invitation link named the old cohort: it now leads to the new one.
    client.post("/signout")
    login(client, participant)
    assert client.get(f"/welcome/{source.id}").headers["Location"] == f"/welcome/{target.id}"


def test_the_roster_shows_status_but_never_one_persons_progress(
        client, login, admin, facilitator, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, facilitators=[facilitator])
    busy = enroll(make_user(org=org, name="Ada Busy"), cohort)
    enroll(make_user(org=org, name="Ben New"), cohort, status=INVITED)
    for week in (1, 2, 3):
        db.session.add(ModuleProgress(org_id=org.id, enrollment_id=busy.id,
                                      cohort_id=busy.cohort_id, week=week,
                                      completed_on=dt.date(2026, 3, week)))
    db.session.commit()
    login(client, facilitator)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    ada = page.split("Ada Busy")[1].split("</tr>")[0]
    ben = page.split("Ben New")[1].split("</tr>")[0]
    assert "Joined" in ada and "Invited" in ben
    for row in (ada, ben):
        assert " of 8" not in row and "completed" not in row.lower()
    assert "Modules completed" not in page
    assert "@" not in page.split("Roster")[1].split("</table>")[0]  # no emails for facilitators
    assert "/withdraw\"" not in page and "/move\"" not in page  # no actions for them
    client.post("/signout")
    login(client, admin)
    hr_page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Modules completed" not in hr_page and "3 of 8" not in hr_page


def test_a_moved_person_is_told_with_a_link_to_their_new_course(
        client, login, admin, participant, make_cohort, enroll, org):
    source = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    target = make_cohort(org=org, start=dt.date(2030, 5, 6), name="May")
    enrollment = enroll(participant, source)
    login(client, admin)
    client.post(f"/cohorts/{source.id}/enrollments/{enrollment.id}/move",
                data={"target": target.id})
    [message] = messages("moved", to_email=participant.email)
    assert message.subject == "Your course has changed: May"
    assert 'has moved you from "March" to "May"' in message.body_text
    assert "It starts on Monday 6 May 2030" in message.body_text
    path = re.search(r"/signin/link/[\w-]+", message.body_text).group(0)
    client.post("/signout")
    assert client.post(path).location == f"/welcome/{target.id}"


def test_someone_moved_into_a_draft_waits_for_it_to_be_published(
        client, login, admin, participant, make_user, make_cohort, enroll, org):
    """A draft invites nobody: a person moved in cannot join it early (their old link
    says it is being planned), has no course or survey from it, and is told on publish."""
    source = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    draft = make_cohort(org=org, start=dt.date(2030, 5, 6), name="Next intake")
    draft.published_at = None
    enrollment = enroll(participant, source, status=INVITED)
    newcomer = make_user(org=org, email="new@acme.example.com")
    enroll(newcomer, draft, status=INVITED)
    queue_email(org_id=org.id, dedupe_key=f"invitation:{enrollment.id}", kind="invitation",
                to_email=participant.email, subject="You're invited", template="invitation",
                user=participant, link="x", minutes=60, cohort=source)
    db.session.commit()
    login(client, admin)
    client.post(f"/cohorts/{source.id}/enrollments/{enrollment.id}/move",
                data={"target": draft.id})
    assert messages("moved", to_email=participant.email) == []

    login(client, participant)
    page = client.get(f"/welcome/{source.id}", follow_redirects=True).get_data(as_text=True)
    assert "the course is still being planned" in page
    assert db.session.get(Enrollment, enrollment.id).status == INVITED  # not joined
    assert "No course for you right now" in client.get("/course/").get_data(as_text=True)
    assert client.get("/surveys/pre").status_code == 404

    login(client, admin)
    client.post(f"/cohorts/{draft.id}/publish")
    [moved] = messages("moved", to_email=participant.email)
    assert 'has moved you to "Next intake"' in moved.body_text
    assert [m.kind for m in messages("invitation", to_email=newcomer.email)] == ["invitation"]
    login(client, participant)
    page = client.get(f"/welcome/{draft.id}").get_data(as_text=True)
    assert "You have joined" in page


def test_nobody_is_moved_into_a_finished_cohort(client, login, admin, participant,
                                                make_cohort, enroll, org):
    source = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    finished = make_cohort(org=org, start=dt.date(2025, 1, 6), name="Old pilot")
    enrollment = enroll(participant, source)
    login(client, admin)
    url = f"/cohorts/{source.id}/enrollments/{enrollment.id}/move"
    assert "Old pilot" not in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"target": finished.id})
    assert refused.status_code == 400
    assert db.session.get(Enrollment, enrollment.id).cohort_id == source.id


@time_machine.travel(dt.datetime(2026, 3, 4, 12, tzinfo=UTC), tick=False)
def test_the_welcome_page_points_to_the_survey_before_the_course(client, login, org,
                                                                 make_user, make_cohort,
                                                                 enroll):
    from tests.surveys.helpers import default_answers
    from wellbeing.surveys import service
    person = make_user(org=org)
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2))
    enrollment = enroll(person, cohort, status=INVITED)
    login(client, person)
    page = client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    assert "First step: a short survey before the course" in page
    assert f'href="/surveys/pre?e={enrollment.id}"' in page
    answers = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}
    assert service.submit_wave(enrollment, "pre", answers, dt.datetime.now(UTC))
    assert "First step" not in client.get(f"/welcome/{cohort.id}").get_data(as_text=True)


def test_hr_sees_emails_that_could_not_be_delivered_and_facilitators_do_not(
        client, login, admin, facilitator, participant, make_user, make_cohort, enroll, org):
    from wellbeing.notifications.models import FAILED, SENT
    cohort = make_cohort(org=org, facilitators=[facilitator])
    enroll(participant, cohort, status=INVITED)
    enroll(make_user(org=org, name="Bo Fine", email="bo@acme.example.com"), cohort)
    for who, status in ((participant, FAILED), (None, SENT)):
        message = queue_email(org_id=org.id, dedupe_key=f"invitation:test:{status}",
                              kind="invitation", to_email=(who or participant).email,
                              subject="x", template="invitation", user=participant, link="x",
                              minutes=60, cohort=cohort)
        message.user_id = participant.id if who else None
        message.status = status
        message.last_error = "SMTPRecipientsRefused: 550 no such mailbox" if who else None
    db.session.commit()
    login(client, admin)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    failed = page.split("Emails that could not be delivered")[1].split("</table>")[0]
    assert "Pat Participant" in failed and participant.email in failed
    assert "Invitation" in failed and "550 no such mailbox" in failed
    assert "Bo Fine" not in failed
    pat = page.split('aria-label="Roster"')[1].split("Pat Participant")[1].split("</tr>")[0]
    assert "Email not delivered" in pat
    login(client, facilitator)
    assert "could not be delivered" not in client.get(f"/cohorts/{cohort.id}").get_data(
        as_text=True)


def test_signing_in_from_the_signin_page_marks_an_invited_person_joined(
        client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, name="Spring")
    person = make_user(org=org, name="Sam Signin")
    enrollment = enroll(person, cohort, status=INVITED)
    login(client, person)  # an ordinary sign-in link, not the invitation's
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == ACTIVE
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == enrollment.id)).all()
    assert "enrollment.joined" in events
    # The welcome page still greets them the first time, and only then.
    assert "Welcome, Sam Signin" in client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    assert "Welcome, Sam" not in client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    client.post("/signout")
    login(client, admin)
    roster = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Joined" in roster.split("Sam Signin")[1].split("</tr>")[0]


def test_signing_in_does_not_join_a_draft_cohort(client, login, make_user, make_cohort, enroll,
                                                org):
    from wellbeing.cohorts.models import Cohort
    cohort = make_cohort(org=org)
    db.session.get(Cohort, cohort.id).published_at = None
    db.session.commit()
    person = make_user(org=org)
    enrollment = enroll(person, cohort, status=INVITED)
    login(client, person)
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == INVITED
