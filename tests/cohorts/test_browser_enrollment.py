"""In Chromium: HR signs in, creates a cohort, uploads a CSV with bad rows, reads the
reasons, uploads the fixed file and imports it. Every page is checked with axe-core."""
import datetime as dt

import pytest
from sqlalchemy import select

from tests.browser.axe import screenshot, serious_violations
from wellbeing.auth.models import ADMIN
from wellbeing.cohorts.models import Cohort, Enrollment
from wellbeing.extensions import db

pytestmark = pytest.mark.browser

BAD = ("email,name,department,time zone\n"
       "ana@acme.example.com,Ana Silva,Finance,Europe/Lisbon\n"
       "bo(at)acme.example.com,Bo Berg,IT,\n"
       "ana@acme.example.com,Ana Again,Finance,\n"
       "cy@acme.example.com,Cy Young,,Mars/Olympus\n"
       "dee@acme.example.com\n")
FIXED = ("email,name,department,time zone\n"
         "ana@acme.example.com,Ana Silva,Finance,Europe/Lisbon\n"
         "bo@acme.example.com,Bo Berg,IT,\n"
         "cy@acme.example.com,Cy Young,,America/New_York\n"
         "dee@acme.example.com,Dee Dee,,\n")


ONE_LINE = """selector => [...document.querySelectorAll(selector)].every(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return range.getClientRects().length <= 1;
})"""


def serious(page) -> list:
    return serious_violations(page)


def shoot(page, name):
    screenshot(page, f"cohorts-{name}")


def upload(page, text, name):
    page.set_input_files("#csv-file", files=[{"name": name, "mimeType": "text/csv",
                                             "buffer": text.encode()}])
    page.get_by_role("button", name="Check the file").click()


def test_hr_creates_a_cohort_and_imports_a_fixed_csv(page, make_user, org):
    make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
              password="correct horse battery")
    page.goto("/signin")
    page.fill("#email", "hr@acme.example.com")
    page.fill("#password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cohorts/")
    assert serious(page) == []

    page.get_by_role("link", name="New cohort").click()
    start = dt.date.today() + dt.timedelta(days=14)
    start += dt.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
    page.fill("#name", "Autumn wellbeing, Finance")
    page.fill("#start_date", start.isoformat())
    page.fill("#capacity", "0")  # a slip: no places at all
    page.get_by_role("button", name="Save cohort").click()
    assert "Capacity must be at least 1." in page.inner_text("main")
    assert page.input_value("#name") == "Autumn wellbeing, Finance"
    assert page.input_value("#start_date") == start.isoformat()
    assert serious(page) == []
    shoot(page, "1-form-error")
    page.fill("#capacity", "10")
    page.fill("#release_time", "09:00")
    page.get_by_role("button", name="Save cohort").click()
    page.wait_for_url("**/enroll")
    assert "Add people to Autumn wellbeing, Finance" in page.inner_text("h1")
    assert serious(page) == []
    shoot(page, "2-enroll")

    upload(page, BAD, "finance.csv")
    page.wait_for_url("**/imports/**")
    text = page.inner_text("main")
    assert "5 rows checked:" in text and "4 with problems" in text
    for reason in ("bad email address “bo(at)acme.example.com”",
                   "duplicate: same email as line 2", "unknown time zone “Mars/Olympus”",
                   "missing column: this row has no name"):
        assert reason in text
    assert page.get_by_role("button", name="Import").count() == 0
    assert serious(page) == []
    shoot(page, "3-preview-problems")
    page.set_viewport_size({"width": 375, "height": 800})
    shoot(page, "3-preview-problems-375")
    assert serious(page) == []
    # Headers and addresses are never broken mid-word ("Lin/e", "Departme/nt"): each is
    # on one line, and the table scrolls inside its wrapper instead of widening the page.
    assert page.evaluate(ONE_LINE, ".preview-table th, .preview-table td:nth-child(2)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Upload the corrected file").click()
    upload(page, FIXED, "finance-fixed.csv")
    page.wait_for_url("**/imports/**")
    assert "0 with problems" in page.inner_text(".counts")
    assert serious(page) == []
    shoot(page, "4-preview-ready")
    page.get_by_role("button", name="Import 4 people and send invitations").click()
    page.wait_for_url("**/cohorts/*")
    assert "4 people enrolled from finance-fixed.csv" in page.inner_text(".flashes")
    roster = page.inner_text("table")
    assert "Ana Silva" in roster and "Dee Dee" in roster and roster.count("Invited") == 4
    assert serious(page) == []
    shoot(page, "5-roster")
    page.set_viewport_size({"width": 375, "height": 800})
    shoot(page, "5-roster-375")

    db.session.expire_all()
    cohort = db.session.scalar(select(Cohort))
    assert cohort.start_date == start and cohort.capacity == 10
    assert len(db.session.scalars(select(Enrollment)).all()) == 4
