"""In Chromium: a participant takes the pre survey (missing one answer first), later the
post survey, and sees their change. axe-core finds nothing serious on any page."""
import datetime as dt
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.surveys.helpers import SCS_CALM
from wellbeing.auth.service import issue_link
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def _answer(page, prefix: str, values: list[int], low: int, skip: int | None = None):
    for n, value in enumerate(values, start=1):
        if n != skip:
            page.locator(f"label[for='{prefix}_{n}-{value - low}']").click()


def test_participant_takes_pre_and_post_and_sees_their_change(
        page, make_cohort, enroll, participant, org):
    today = now_utc().date()
    cohort = make_cohort(org=org, start=today + dt.timedelta(days=3), name="Spring cohort")
    enroll(participant, cohort)
    token = issue_link(participant)
    db.session.commit()
    page.goto(f"/signin/link/{token}")
    page.get_by_role("button", name="Continue to Wellbeing").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto("/surveys/")
    assert serious(page) == []
    shot(page, "surveys-index")
    page.get_by_role("link", name="Take the survey before the course").click()
    expect(page.get_by_text("Part 1 of 2")).to_be_visible()
    assert serious(page) == []

    _answer(page, "scssf", SCS_CALM, 1, skip=7)
    _answer(page, "pss10", [3] * 10, 0)
    assert page.locator("#answered-count").inner_text() == "21"
    page.get_by_role("button", name="Send my answers").click()

    summary = page.locator("#error-summary")
    expect(summary.get_by_text("1 statement still needs an answer")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.is_checked("#scssf_2-3") and page.is_checked("#pss10_10-3")
    assert page.locator("#answered-count").inner_text() == "21"
    assert serious(page) == []
    shot(page, "survey-pre-missing")
    summary.get_by_role("link").first.click()
    page.locator("label[for='scssf_7-3']").click()
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="My results")).to_be_visible()
    assert serious(page) == []
    shot(page, "survey-pre-results")

    # Eight weeks later: the cohort's last day has come, so the post survey is open.
    cohort.start_date = today - dt.timedelta(days=58)
    db.session.commit()
    page.goto("/surveys/")
    page.get_by_role("link", name="Take the survey after the course").click()
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "survey-post-375", full_page=False)
    page.locator("#scssf_4").scroll_into_view_if_needed()
    shot(page, "survey-post-375-items", full_page=False)
    assert serious(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    _answer(page, "scssf", [1, 5, 5, 1, 5, 5, 5, 1, 1, 5, 1, 1], 1)
    _answer(page, "pss10", [1] * 10, 0)
    page.get_by_role("button", name="Send my answers").click()

    text = page.locator("main").inner_text()
    assert "4.00 before the course, 5.00 after the course" in text
    assert "1.00 point higher" in text or "1.00 points higher" in text
    # PSS all 3 = 22 before; all 1 = 18 after.
    assert "22 before the course, 18 after the course" in text
    assert "4 points lower" in text
    assert "Support is available" not in text
    assert serious(page) == []
    shot(page, "survey-post-results")

    page.goto("/surveys/post")
    expect(page.get_by_role("heading", name="We already have your answers")).to_be_visible()


def test_staff_and_account_pages_are_accessible(page, make_user, make_cohort, org, participant):
    from wellbeing.auth.models import ADMIN
    make_user(ADMIN, org=org, email="hr@acme.example.com", password="correct horse battery")
    cohort = make_cohort(org=org, name="Spring cohort")
    page.goto("/signin")
    page.get_by_label("Work email").nth(1).fill("hr@acme.example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", name="Spring cohort")).to_be_visible()
    assert serious(page) == []
    shot(page, "surveys-staff-index")
    page.goto(f"/surveys/cohorts/{cohort.id}/settings")
    page.get_by_label("Perceived Stress Scale (10 items, PSS-10)").uncheck()
    page.get_by_label("Self-Compassion Scale – Short Form (SCS-SF)").uncheck()
    page.get_by_label("Weeks after the course ends").fill("2")
    page.get_by_role("button", name="Save survey settings").click()
    expect(page.get_by_text("Choose at least one questionnaire.").first).to_be_visible()
    assert page.get_by_label("Weeks after the course ends").input_value() == "2"
    assert serious(page) == []
    shot(page, "surveys-staff-settings-errors")
    page.get_by_role("link", name="My data").click()
    assert serious(page) == []
    shot(page, "account-staff")
