"""HR creates, edits, publishes and archives cohorts; facilitators see only theirs."""
import datetime as dt
import re

import time_machine
from sqlalchemy import select

from wellbeing.audit.models import AuditEvent
from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.cohorts.models import INVITED, Cohort
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

FORM = {"name": "Spring 2026, Finance", "start_date": "2026-03-02",
        "release_time": "09:00", "timezone": "Europe/Berlin", "weeks": "8", "capacity": "20"}


def invitations():
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind="invitation")))


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_new_cohort_form_defaults_to_the_orgs_zone(client, login, make_org, make_user):
    org = make_org(timezone="America/New_York")
    login(client, make_user(ADMIN, org=org))
    page = client.get("/cohorts/new").get_data(as_text=True)
    assert '<option selected value="America/New_York">' in page


def test_zone_picker_lists_common_zones_first_and_no_old_aliases(client, login, make_org,
                                                                 make_user, make_cohort):
    org = make_org(timezone="Europe/London")
    login(client, make_user(ADMIN, org=org))
    page = client.get("/cohorts/new").get_data(as_text=True)
    common, rest = page.split('<optgroup label="Common time zones">')[1].split(
        '<optgroup label="All time zones">')
    assert 'value="Europe/Berlin"' in common and 'value="Asia/Kolkata"' in common
    assert 'value="Europe/Oslo"' in rest and 'value="Europe/Berlin"' not in rest
    assert "Asia/Calcutta" not in page and "US/Eastern" not in page
    # A cohort saved with an old alias keeps it when edited.
    old = make_cohort(org=org, tz="US/Eastern")
    edit = client.get(f"/cohorts/{old.id}/edit").get_data(as_text=True)
    assert '<option selected value="US/Eastern">' in edit


@time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False)
def test_admin_creates_a_cohort_with_facilitator_and_live_session(client, login, admin,
                                                                  facilitator, make_user):
    other_org_facilitator = make_user(FACILITATOR)
    login(client, admin)
    live = dict(FORM, has_live_session="y", live_session_time="12:30",
                live_session_minutes="45", live_session_place="https://meet.example.com/abc")
    # Another organisation's facilitator is not a choice, even in a hand-made request.
    refused = client.post("/cohorts/new", data=dict(
        live, facilitators=[str(facilitator.id), str(other_org_facilitator.id)]))
    assert refused.status_code == 400 and db.session.scalar(select(Cohort)) is None
    response = client.post("/cohorts/new", data=dict(live, facilitators=[str(facilitator.id)]))
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert cohort.name == "Spring 2026, Finance" and cohort.timezone == "Europe/Berlin"
    assert [u.id for u in cohort.facilitators] == [facilitator.id]
    assert cohort.live_session_time == dt.time(12, 30) and not cohort.is_draft
    assert actions() == ["cohort.created"]
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "Spring 2026, Finance" in listing and "Scheduled" in listing and "0 / 20" in listing


def test_the_release_day_follows_from_the_start_date(client, login, admin):
    login(client, admin)
    form = client.get("/cohorts/new").get_data(as_text=True)
    assert "release_weekday" not in form  # no field that could only disagree with the date
    assert "type it in the order the box shows" in form  # the box, not the hint, sets it
    assert "Weeks 1 to 8 have a module now" in form  # said before a too-long course is typed
    response = client.post("/cohorts/new", data=dict(FORM, start_date="2026-03-03"))
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert cohort.start_date == dt.date(2026, 3, 3)
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Tuesdays at 09:00" in detail


def test_live_session_needs_time_and_place(client, login, admin):
    login(client, admin)
    page = client.post("/cohorts/new", data=dict(FORM, has_live_session="y")).get_data(
        as_text=True)
    assert "Enter the time of the weekly live session" in page
    assert "Say where the session happens" in page


def minutes_offered(page: str) -> str:
    return re.search(r'<input[^>]*name="live_session_minutes"[^>]*>', page).group(0)


@time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False)
def test_adding_a_live_session_when_editing_offers_an_hour_like_a_new_cohort(
        client, login, admin, make_cohort, org):
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 2), tz="Europe/Berlin", name="Plain")
    keeps = make_cohort(org=org, start=dt.date(2026, 3, 2), live_session_time=dt.time(12, 30),
                        live_session_minutes=45, live_session_place="Room 4")
    login(client, admin)
    assert 'value="60"' in minutes_offered(client.get("/cohorts/new").get_data(as_text=True))
    page = client.get(f"/cohorts/{cohort.id}/edit").get_data(as_text=True)
    assert 'value="60"' in minutes_offered(page)
    # HR ticks the box, fills in time and place and leaves the offered length as it is.
    done = client.post(f"/cohorts/{cohort.id}/edit", data=dict(
        FORM, name="Plain", has_live_session="y", live_session_time="12:30",
        live_session_place="Room 4", live_session_minutes="60"))
    assert done.status_code == 302, done.get_data(as_text=True)
    assert cohort.live_session_minutes == 60 and cohort.live_session_time == dt.time(12, 30)
    page = client.get(f"/cohorts/{keeps.id}/edit").get_data(as_text=True)
    assert 'value="45"' in minutes_offered(page)


def test_draft_sends_nothing_until_published(client, login, admin, make_user, enroll):
    login(client, admin)
    client.post("/cohorts/new", data=dict(FORM, draft="y"))
    cohort = db.session.scalar(select(Cohort))
    assert cohort.is_draft
    assert "Draft" in client.get("/cohorts/").get_data(as_text=True)
    added = client.post(f"/cohorts/{cohort.id}/enroll",
                        data={"one-email": "kim@acme.example.com", "one-name": "Kim Lee"})
    assert added.status_code == 302
    assert invitations() == []
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/publish"' in detail
    confirm = client.get(f"/cohorts/{cohort.id}/publish").get_data(as_text=True)
    assert "1 person gets an invitation email now." in confirm and invitations() == []
    client.post(f"/cohorts/{cohort.id}/publish")
    [message] = invitations()
    assert message.kind == "invitation" and message.to_email == "kim@acme.example.com"
    assert actions() == ["cohort.created", "enrollment.created", "cohort.published"]


def test_capacity_cannot_drop_below_the_people_enrolled(client, login, admin, make_cohort,
                                                        make_user, enroll, org):
    cohort = make_cohort(org=org, start=dt.date(2030, 3, 4), capacity=5)
    for _ in range(3):
        enroll(make_user(PARTICIPANT, org=org), cohort, status=INVITED)
    login(client, admin)
    response = client.post(f"/cohorts/{cohort.id}/edit", data=dict(
        FORM, start_date="2030-03-04", capacity="2", name=cohort.name))
    assert response.status_code == 400
    assert "3 people are enrolled; capacity cannot be lower" in response.get_data(as_text=True)


def test_archive_hides_the_cohort_and_restore_brings_it_back(client, login, admin, make_cohort,
                                                             org):
    cohort = make_cohort(org=org, name="Old cohort")
    login(client, admin)
    link = f'href="/cohorts/{cohort.id}"'
    listing = client.post(f"/cohorts/{cohort.id}/archive", follow_redirects=True)
    assert "“Old cohort” is archived" in listing.get_data(as_text=True)
    assert link not in listing.get_data(as_text=True)
    archived = client.get("/cohorts/?archived=1").get_data(as_text=True)
    assert link in archived and "Archived" in archived
    client.post(f"/cohorts/{cohort.id}/unarchive")
    assert link in client.get("/cohorts/").get_data(as_text=True)
    assert actions() == ["cohort.archived", "cohort.unarchived"]


def test_home_sends_staff_to_the_cohort_list(client, login, admin):
    login(client, admin)
    assert client.get("/home").headers["Location"].endswith("/cohorts/")


def test_facilitator_sees_only_assigned_cohorts(client, login, facilitator, make_cohort, org):
    mine = make_cohort(org=org, name="Mine", facilitators=[facilitator])
    theirs = make_cohort(org=org, name="Someone else's")
    login(client, facilitator)
    listing = client.get("/cohorts/").get_data(as_text=True)
    assert "Mine" in listing and "Someone else" not in listing
    assert client.get(f"/cohorts/{mine.id}").status_code == 200
    assert client.get(f"/cohorts/{theirs.id}").status_code == 404
    assert client.get(f"/cohorts/{theirs.id}/schedule").status_code == 404
    assert client.get("/cohorts/new").status_code == 403
    assert client.get(f"/cohorts/{mine.id}/edit").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_another_orgs_cohort_is_404_for_everyone(client, login, admin, facilitator,
                                                 participant, make_cohort, enroll):
    foreign = make_cohort(name="Foreign")
    for user in (admin, facilitator):
        login(client, user)
        for path in ("", "/schedule", "/edit", "/enroll"):
            status = client.get(f"/cohorts/{foreign.id}{path}").status_code
            # HR-only pages refuse a facilitator before any lookup: 403 for every id.
            expected = 403 if user is facilitator and path in ("/edit", "/enroll") else 404
            assert status == expected, (user, path)
            assert client.get(f"/cohorts/9999999{path}").status_code == expected
        archive = 403 if user is facilitator else 404
        assert client.post(f"/cohorts/{foreign.id}/archive").status_code == archive
        assert client.post("/cohorts/9999999/archive").status_code == archive
        client.post("/signout")
    enroll(participant, foreign)  # even an enrollment row pointing there does not open it
    login(client, participant)
    assert client.get(f"/welcome/{foreign.id}").status_code == 404
    assert client.get(f"/welcome/{foreign.id}/calendar.ics").status_code == 404
    assert "Foreign" not in client.get("/cohorts/").get_data(as_text=True)


def test_a_start_date_years_away_is_refused_not_crashed_on(client, login, admin):
    login(client, admin)
    response = client.post("/cohorts/new", data=dict(FORM, start_date="9999-12-27"))
    assert response.status_code == 400
    assert "within three years of today" in response.get_data(as_text=True)
    assert client.get("/cohorts/").status_code == 200


def test_nobody_can_be_enrolled_in_a_finished_cohort(client, login, admin, make_cohort):
    finished = make_cohort(org=admin.org, start=dt.date(2026, 1, 5))
    login(client, admin)
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        login(client, admin)
        response = client.post(f"/cohorts/{finished.id}/enroll",
                               data={"one-email": "late@example.com", "one-name": "Late Comer"})
    assert response.status_code == 400
    assert "This cohort is finished" in response.get_data(as_text=True)
    assert 'value="late@example.com"' in response.get_data(as_text=True)
    assert invitations() == []
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        login(client, admin)
        page = client.get(f"/cohorts/{finished.id}").get_data(as_text=True)
    assert "Add people" not in page  # no link to a form that can only refuse
    upcoming = make_cohort(org=admin.org, start=dt.date(2030, 3, 4))
    assert "Add people" in client.get(f"/cohorts/{upcoming.id}").get_data(as_text=True)


def test_a_draft_cohorts_roster_does_not_claim_people_were_invited(
        client, login, admin, participant, make_cohort, enroll, org):
    draft = make_cohort(org=org, start=dt.date(2030, 3, 4))
    draft.published_at = None
    enroll(participant, draft, status=INVITED)
    login(client, admin)
    page = client.get(f"/cohorts/{draft.id}").get_data(as_text=True)
    assert "Not invited yet (draft)" in page
    enroll_page = client.get(f"/cohorts/{draft.id}/enroll").get_data(as_text=True)
    assert 'value="Enroll (invited when you publish)"' in enroll_page
    assert "Enroll and invite" not in enroll_page


def test_a_negative_capacity_gets_one_message(client, login, admin):
    login(client, admin)
    page = client.post("/cohorts/new", data=dict(FORM, capacity="-3")).get_data(as_text=True)
    assert "Capacity must be at least 1." in page
    assert "capacity cannot be lower" not in page


def test_archiving_says_who_loses_the_course_before_it_happens(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort = make_cohort(org=org, name="Running group")
    for _ in range(3):
        enroll(make_user(PARTICIPANT, org=org), cohort)
    login(client, admin)
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/archive"' in detail  # a link to the question
    question = client.get(f"/cohorts/{cohort.id}/archive").get_data(as_text=True)
    assert "3 people are in this cohort." in question and "no longer see its course" in question
    assert db.session.get(Cohort, cohort.id).archived_at is None


def test_a_course_cannot_be_longer_than_its_modules(client, login, admin, org):
    from wellbeing.course.models import OrgModule
    login(client, admin)
    refused = client.post("/cohorts/new", data=dict(FORM, weeks="10"))
    assert refused.status_code == 400
    assert "Only weeks 1 to 8 have a module" in refused.get_data(as_text=True)
    for week in (9, 10):
        db.session.add(OrgModule(org_id=org.id, week=week, title=f"Our week {week}"))
    db.session.commit()
    assert client.post("/cohorts/new", data=dict(FORM, weeks="10")).status_code == 302
