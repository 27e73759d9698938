"""Staff pages on a phone (390 px): no sideways scrolling anywhere, rows stacked with
their labels, and the menu folded behind one button. axe-core checked."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.axe import screenshot, serious_violations
from wellbeing.audit.service import record
from wellbeing.auth.models import ADMIN, FACILITATOR
from wellbeing.extensions import db

pytestmark = pytest.mark.browser


def _fits(page) -> bool:
    page.wait_for_load_state("load")  # the stylesheet decides the layout
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_pages_fit_a_phone_and_the_menu_folds(browser, live_server, make_user,
                                                      make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
                      password="correct horse battery")
    make_user(FACILITATOR, org=org, email="a.very.long.facilitator.address@acme.example.com")
    cohort = make_cohort(org=org, name="Spring wellbeing for the whole finance department",
                         start=dt.date.today() + dt.timedelta(days=10))
    for n in range(3):
        enroll(make_user(org=org, name=f"Participant {n}",
                         email=f"participant.with.a.long.name.{n}@acme.example.com"), cohort)
    record(org.id, admin.id, "org.settings_changed", org, "Changed: name")
    db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto("/signin")
    page.fill("#email", "hr@acme.example.com")
    page.fill("#password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cohorts/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and not page.get_by_role("link", name="Audit log").is_visible()
    menu.click()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    for url in ["/cohorts/", f"/cohorts/{cohort.id}", "/org/people", "/audit/",
                f"/cohorts/{cohort.id}/enroll", "/surveys/cohorts/", "/org/settings"]:
        page.goto(url)
        assert _fits(page), url
        assert serious_violations(page) == [], url
    page.goto(f"/cohorts/{cohort.id}")
    labels = page.eval_on_selector_all(
        "table.stacked tbody tr:first-child td",
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels[:3] == ['"Name: "', '"Email: "', '"Status: "']  # each cell says what it is
    screenshot(page, "staff-phone-roster")
    context.close()
