"""HR's everyday jobs on a phone, end to end with a real Celery worker and SMTP server:
invite a facilitator, who accepts from the mail and is then assigned to a new cohort;
import a CSV; send an invitation again; download the roster. axe-checked throughout."""
import csv
import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import screenshot, serious_violations
from tests.notifications.test_worker import _wait_for
from wellbeing.auth.models import ADMIN

pytestmark = [pytest.mark.browser, pytest.mark.services]
PHONE = {"width": 390, "height": 844}
PEOPLE = ("email,name,department\n"
          "ana@acme.example.com,Ana Silva,Finance\n"
          "bo@acme.example.com,Bo Berg,IT\n")


def _link(smtp_server, to: str, subject_word: str, nth: int = 1) -> str:
    """The link in the nth mail of this kind that reached `to` at the SMTP server."""
    def mails():
        return [m for m in smtp_server.messages if m["To"] == to and subject_word in m["Subject"]]
    assert _wait_for(lambda: len(mails()) >= nth), f"no '{subject_word}' mail {nth} to {to}"
    body = mails()[nth - 1].get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/signin/link/[\w-]+", body)[0]


def _fits(page) -> bool:
    page.wait_for_load_state("load")  # the stylesheet decides the layout
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(el => !el.closest('thead')
                && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.tagName + '.' + el.className + ':' + el.textContent.slice(0, 40))""")
    assert not wide, wide[:5]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_hr_runs_the_programme_from_a_phone(app, browser, live_server, make_user, org,
                                            celery_worker, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
              password="correct horse battery")
    hr = browser.new_context(base_url=live_server, viewport=PHONE, accept_downloads=True)
    page = hr.new_page()
    page.goto("/signin")
    page.fill("#email", "hr@acme.example.com")
    page.fill("#password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cohorts/")

    # Invite a facilitator from the People page.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="People").click()
    page.fill("#name", "Fay Facilitator")
    page.fill("#email", "fay@acme.example.com")
    page.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to fay@acme.example.com" in page.inner_text(".flashes")
    assert _fits(page) and serious_violations(page) == []
    screenshot(page, "journey-phone-1-people")

    # Fay accepts from the mail that reached the SMTP server.
    fay = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    fay.goto(_link(smtp_server, "fay@acme.example.com", "invites you"))
    fay.get_by_role("button", name="Continue to Wellbeing").click()
    fay.wait_for_url("**/password?welcome=1")
    assert "Welcome to Wellbeing, Fay Facilitator" in fay.inner_text("h1")
    assert serious_violations(fay) == []

    # HR creates a cohort with Fay as its facilitator, then imports a CSV.
    page.goto("/cohorts/new")
    page.fill("#name", "Spring on the phone")
    page.fill("#start_date", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.fill("#release_time", "09:00")
    page.get_by_label("Fay Facilitator").check()
    page.get_by_role("button", name="Save cohort").click()
    page.wait_for_url("**/enroll")
    assert _fits(page) and serious_violations(page) == []
    page.set_input_files("#csv-file", files=[{"name": "people.csv", "mimeType": "text/csv",
                                             "buffer": PEOPLE.encode()}])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/imports/**")
    assert _fits(page) and serious_violations(page) == []
    screenshot(page, "journey-phone-2-preview")
    page.get_by_role("button", name=re.compile("Import 2 people")).click()
    first_link = _link(smtp_server, "ana@acme.example.com", "invited")

    # Send Ana's invitation again: the new link works, the old one no longer does.
    page.get_by_role("button", name="Send again to Ana Silva").click()
    assert "The link sent before no longer works" in page.inner_text(".flashes")
    second_link = _link(smtp_server, "ana@acme.example.com", "invited", nth=2)
    assert second_link != first_link
    ana = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    ana.goto(first_link)
    assert "expired" in ana.inner_text("main")  # the old link no longer opens anything
    ana.goto(second_link)
    expect(ana.get_by_role("button", name="Continue to Wellbeing")).to_be_visible()
    assert _fits(page) and serious_violations(page) == []
    screenshot(page, "journey-phone-3-roster")

    # Download the roster.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the roster (CSV)").click()
    rows = list(csv.reader(io.StringIO(
        download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Name", "Email", "Status", "Joined on"]
    assert sorted(row[0] for row in rows[1:]) == ["Ana Silva", "Bo Berg"]
    assert page.evaluate("document.title") and "Fay Facilitator" in page.inner_text("main")
