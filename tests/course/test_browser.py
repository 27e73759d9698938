"""A participant in week 3, in a real Chromium: open and complete the module, use the
player, log practice (after a mistake), write in the journal. Desktop and 375 px, axe-clean."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wellbeing.auth.service import issue_link
from wellbeing.course.content import load_curriculum
from wellbeing.extensions import db

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "course"


def axe_clean(page, what):
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    serious = [v for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, (what, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                                for v in serious])


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{name}: page is {width}px wide in a {viewport}px window"


def sign_in(page, user):
    token = issue_link(user)
    db.session.commit()
    page.goto(f"/signin/link/{token}")
    page.get_by_role("button", name="Continue to Wellbeing").click()


def test_week_three_journey(page, week3_participant):
    sign_in(page, week3_participant)
    expect(page.get_by_role("heading", name="This week: Words of goodwill")).to_be_visible()
    expect(page.get_by_text("0 of 8 weeks completed.")).to_be_visible()
    axe_clean(page, "home")
    shoot(page, "home-desktop")

    page.get_by_role("link", name="Open week 3").click()
    expect(page.get_by_role("heading", level=1, name="Words of goodwill")).to_be_visible()
    axe_clean(page, "week")
    shoot(page, "week-desktop")

    page.get_by_role("link", name="Finding your own words").click()
    expect(page.get_by_role("heading", name="Before you begin")).to_be_visible()
    expect(page.locator("#player")).to_be_visible()  # the script revealed it
    page.get_by_role("button", name="Begin").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#player-count")).to_have_text("Step 1 of 8")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#player-status")).to_have_text("Paused. Resume whenever you are ready.")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    axe_clean(page, "practice")
    shoot(page, "practice-desktop")

    page.goto("/course/weeks/3")
    complete = page.get_by_role("button", name="Mark week 3 complete")
    complete.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Week 3 is marked complete.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as not complete")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice log").click()
    page.get_by_label("Practice", exact=True).select_option("finding-your-phrases")
    page.get_by_label("Minutes", exact=True).fill("500")
    page.get_by_label("Note (optional)").fill("Phrases felt odd, then softer.")
    page.get_by_role("button", name="Log practice").click()
    expect(page.get_by_text("Enter between 1 and 180 minutes")).to_be_visible()
    expect(page.get_by_label("Minutes", exact=True)).to_have_value("500")
    expect(page.get_by_label("Note (optional)")).to_have_value("Phrases felt odd, then softer.")
    axe_clean(page, "log with an error")
    shoot(page, "log-error-desktop")
    page.get_by_label("Minutes", exact=True).fill("20")
    page.get_by_role("button", name="Log practice").click()
    expect(page.get_by_text("Logged 20 minutes of “Finding your own words”.")).to_be_visible()
    expect(page.locator("#minutes-chart.is-drawn svg.main-svg").first).to_be_attached()
    expect(page.get_by_text("You have logged 20 minutes of practice in 1 session")).to_be_visible()
    axe_clean(page, "log")
    shoot(page, "log-desktop")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    page.get_by_label("Your reflection").fill("Offering myself goodwill felt strange but kind.")
    page.get_by_role("button", name="Save privately").click()
    expect(page.get_by_text("Saved to your private journal.")).to_be_visible()
    expect(page.get_by_text("Offering myself goodwill felt strange but kind.")).to_be_visible()
    axe_clean(page, "journal")
    shoot(page, "journal-desktop")

    page.set_viewport_size({"width": 375, "height": 812})
    for name, path in [("home", "/course/"), ("week", "/course/weeks/3"),
                       ("practice", "/course/weeks/3/practices/finding-your-phrases"),
                       ("log", "/course/practice"), ("journal", "/course/journal")]:
        page.goto(path)
        axe_clean(page, f"{name} at 375 px")
        shoot(page, f"{name}-375")
    expect(page.get_by_text("1 of 8 weeks completed.")).to_have_count(0)  # journal page
    page.goto("/course/")
    expect(page.get_by_text("1 of 8 weeks completed.")).to_be_visible()
    expect(page.locator(".big-number")).to_contain_text("20")


def test_without_javascript_the_practice_is_plain_steps(browser, live_server,
                                                        week3_participant):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, week3_participant)
        page.goto("/course/weeks/1/practices/self-compassion-break")
        expect(page.locator("#player")).to_be_hidden()
        expect(page.get_by_text("About 5 minutes, or a 2-minute")).to_be_visible()
        expect(page.locator("#steps")).to_be_visible()  # the list stays unfolded
        expect(page.locator("ol.steps li")).to_have_count(7)
        shoot(page, "practice-no-js")
    finally:
        context.close()


def test_staff_pages_at_desktop_and_phone_width(page, admin, facilitator, week3_participant):
    sign_in(page, facilitator)
    page.get_by_role("link", name="Module completion").click()
    page.get_by_role("link", name="Spring cohort").click()
    expect(page.get_by_text("1 person has been enrolled in this cohort")).to_be_visible()
    expect(page.get_by_text(week3_participant.name)).to_have_count(0)
    axe_clean(page, "completion")
    shoot(page, "completion-desktop")
    page.set_viewport_size({"width": 375, "height": 812})
    axe_clean(page, "completion at 375 px")
    shoot(page, "completion-375")

    page.context.clear_cookies()
    sign_in(page, admin)
    page.goto("/course/modules")
    page.get_by_role("link", name="Edit week 2").click()
    page.get_by_label("Title").fill("Our anchor week")
    page.get_by_label("Reading (Markdown)").fill(
        "A **short** reading.\n\n<script>x()</script>\n\n"  # the safety note must stay
        + "\n\n".join(load_curriculum()[2].protected))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Week 2 is saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="Your changes")).to_be_visible()
    axe_clean(page, "modules at 375 px")
    shoot(page, "modules-375")
    page.get_by_role("link", name="Add a module").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Give the module a title.")).to_be_visible()
    axe_clean(page, "add module with an error")
    shoot(page, "module-new-375")


def test_a_title_without_spaces_wraps_instead_of_widening_the_page(page, week3_participant):
    """HR may type a 200-character title with no space in it: the home still fits the
    window, on a desktop and on a phone."""
    from wellbeing.course.models import OrgModule
    db.session.add(OrgModule(org_id=week3_participant.org_id, week=3, title="x" * 200))
    db.session.commit()
    sign_in(page, week3_participant)
    expect(page.get_by_role("link", name="Open week 3")).to_be_visible()
    shoot(page, "long-title-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    shoot(page, "long-title-phone")
