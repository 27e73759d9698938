"""In Chromium, on the demo organisation: HR opens the organisation's and a cohort's
outcome dashboards at desktop and phone width; the charts are drawn by our own plotly.js,
each has an accessible name, and axe-core finds nothing serious or critical."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.axe import ARTIFACTS, screenshot, serious_violations
from wellbeing.auth.models import User
from wellbeing.auth.service import issue_link
from wellbeing.cli.demo import ADMIN_EMAIL, FACILITATOR_EMAIL, ensure_demo
from wellbeing.cohorts.models import Cohort
from wellbeing.extensions import db

pytestmark = pytest.mark.browser


def _sign_in(page, email):
    token = issue_link(db.session.scalar(select(User).filter_by(email=email)))
    db.session.commit()
    page.goto(f"/signin/link/{token}")
    page.get_by_role("button", name="Continue to Wellbeing").click()
    page.get_by_role("button", name="Sign out").wait_for()


def _charts_drawn(page, at_least: int):
    # A locator, not wait_for_function: our CSP forbids the eval that the latter needs.
    page.locator(".chart.is-drawn").nth(at_least - 1).wait_for()
    for chart in page.locator(".chart.is-drawn").all():
        assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label")


def test_hr_and_facilitator_open_the_dashboards_on_demo_data(page):
    assert ensure_demo()
    spring = db.session.scalar(select(Cohort).filter_by(name="Spring cohort"))
    small = db.session.scalar(select(Cohort).filter_by(name="Small team pilot"))
    _sign_in(page, ADMIN_EMAIL)
    page.goto("/outcomes/organisation")
    _charts_drawn(page, 2)
    expect(page.get_by_role("heading", name="Outcomes of all cohorts")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "outcomes-org-desktop")
    page.goto(f"/outcomes/cohorts/{spring.id}")
    _charts_drawn(page, 6)
    assert serious_violations(page) == []
    screenshot(page, "outcomes-cohort-desktop")
    page.locator("#funnel").screenshot(path=str(ARTIFACTS / "outcomes-funnel-desktop.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/outcomes/cohorts/{spring.id}")
    _charts_drawn(page, 6)
    # Nothing wider than the phone's screen but the tables' own scrolling regions.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The engagement chart's step names wrap: its bars keep most of the width.
    assert page.locator("#funnel .nsewdrag").bounding_box()["width"] >= 150
    page.locator("#funnel").screenshot(path=str(ARTIFACTS / "outcomes-funnel-phone.png"))
    assert serious_violations(page) == []
    screenshot(page, "outcomes-cohort-phone")
    for part in range(3):  # readable pieces of the long phone page, to look at
        page.screenshot(path=str(ARTIFACTS / f"outcomes-cohort-phone-{part + 1}.png"),
                        full_page=True,
                        clip={"x": 0, "y": part * 1400, "width": 390, "height": 1400})
    page.goto("/outcomes/organisation")
    _charts_drawn(page, 2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each cohort compared is a card: its change and effect size on screen, labelled.
    change = page.locator("td[data-label='Change (95% CI)']").first
    assert change.is_visible() and change.bounding_box()["x"] + 40 < 390
    assert serious_violations(page) == []
    screenshot(page, "outcomes-org-phone")
    page.locator("#trend").screenshot(path=str(ARTIFACTS / "outcomes-org-phone-trend.png"))

    page.goto(f"/outcomes/cohorts/{small.id}")
    expect(page.get_by_text("Rounded to the nearest 5").first).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "outcomes-small-cohort-phone")


def test_the_facilitator_sees_their_cohort_and_no_organisation_page(page):
    assert ensure_demo()
    spring = db.session.scalar(select(Cohort).filter_by(name="Spring cohort"))
    _sign_in(page, FACILITATOR_EMAIL)
    page.goto("/outcomes/")
    page.get_by_role("link", name="See outcomes of Spring cohort").click()
    assert page.url.endswith(f"/outcomes/cohorts/{spring.id}")
    _charts_drawn(page, 6)
    assert page.goto("/outcomes/organisation").status == 403
