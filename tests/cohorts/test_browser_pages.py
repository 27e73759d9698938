"""In Chromium: the reschedule confirmation HR sees, and a participant's welcome page
from their invitation link; axe-core checked, screenshots in test-artifacts/."""
import datetime as dt

import pytest
from sqlalchemy import select

from tests.browser.axe import screenshot, serious_violations
from wellbeing.auth.models import ADMIN
from wellbeing.cohorts.models import INVITED, Cohort, Enrollment
from wellbeing.extensions import db

pytestmark = pytest.mark.browser


def test_hr_confirms_a_reschedule_that_closes_an_open_week(page, make_user, make_cohort, org):
    make_user(ADMIN, org=org, email="hr@acme.example.com", password="correct horse battery")
    today = dt.date.today()
    cohort = make_cohort(org=org, name="Running cohort", start=today - dt.timedelta(days=10),
                         tz="Asia/Kolkata")
    page.goto("/signin")
    page.fill("#email", "hr@acme.example.com")
    page.fill("#password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/cohorts/{cohort.id}/edit")
    later = today - dt.timedelta(days=3)
    page.fill("#start_date", later.isoformat())
    page.get_by_role("button", name="Save cohort").click()
    warning = page.inner_text("#confirm-close")
    assert "weeks that are already open" in warning and "Week 2: opened" in warning
    assert serious_violations(page) == []
    screenshot(page, "cohorts-6-reschedule-confirm")
    page.get_by_role("button", name="Yes, change the schedule").click()
    page.wait_for_url(f"**/cohorts/{cohort.id}")
    assert "Week 2 is closed again until it reopens" in page.inner_text(".flashes")
    db.session.expire_all()
    assert db.session.get(Cohort, cohort.id).start_date == later
    page.goto(f"/cohorts/{cohort.id}/schedule")
    assert serious_violations(page) == []
    screenshot(page, "cohorts-7-schedule")


def test_participant_lands_on_the_welcome_page_from_the_invitation(page, make_user, make_cohort,
                                                                  enroll, org):
    from wellbeing.auth.service import issue_link
    person = make_user(org=org, name="Nia Okoro", timezone="America/New_York")
    cohort = make_cohort(org=org, name="Spring cohort", start=dt.date.today() + dt.timedelta(
        days=5), tz="Europe/Berlin", live_session_time=dt.time(12, 30),
        live_session_minutes=45, live_session_place="Room 4 or video link")
    enrollment = enroll(person, cohort, status=INVITED)
    token = issue_link(person, next_path=f"/welcome/{cohort.id}", kind="invitation",
                       dedupe_suffix=str(enrollment.id), minutes=7 * 24 * 60, cohort=cohort)
    db.session.commit()
    page.goto(f"/signin/link/{token}")
    page.get_by_role("button", name="Continue to Wellbeing").click()
    page.wait_for_url(f"**/welcome/{cohort.id}")
    assert "Welcome, Nia Okoro" in page.inner_text("h1")
    text = page.inner_text("main")
    assert "New York" in text and "Next one:" in text
    assert serious_violations(page) == []
    screenshot(page, "cohorts-8-welcome")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "cohorts-8-welcome-375")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add the dates to your calendar (.ics)").click()
    assert download.value.suggested_filename == f"wellbeing-cohort-{cohort.id}.ics"
    page.get_by_role("link", name="Leave this course").click()
    assert "What happens to your data" in page.inner_text("main")
    assert serious_violations(page) == []
    screenshot(page, "cohorts-9-leave")
    page.get_by_role("button", name="Leave the course").click()
    assert "You have left Spring cohort" in page.inner_text("h1")
    db.session.expire_all()
    assert db.session.scalar(select(Enrollment)).status == "withdrawn"


def test_roster_stays_within_a_phone_screen(page, make_user, make_cohort, enroll, org):
    make_user(ADMIN, org=org, email="hr@acme.example.com", password="correct horse battery")
    cohort = make_cohort(org=org, name="Roster cohort", start=dt.date.today())
    for n in range(3):
        enroll(make_user(org=org, name=f"Participant With A Long Name {n}"), cohort)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/signin")
    page.fill("#email", "hr@acme.example.com")
    page.fill("#password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/cohorts/{cohort.id}")
    assert "Participant With A Long Name 2" in page.inner_text("main")
    # The roster table scrolls inside its own box; the page itself does not slide sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(page) == []
    screenshot(page, "cohorts-8-roster-375")
