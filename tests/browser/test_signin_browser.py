import pytest
from playwright.sync_api import expect

from tests.browser.axe import screenshot, serious_violations
from wellbeing.auth.models import ADMIN

pytestmark = pytest.mark.browser


def menu_boxes_align(page) -> bool:
    """The "Sign out" button has the same box as the menu links on its row (same top and
    height), so it does not sit higher than they do."""
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        '.main-nav li > a, .main-nav .link-button')].map(el => {
            const r = el.getBoundingClientRect(); return [r.top, r.height]; })""")
    sign_out = boxes[-1]
    same_row = [box for box in boxes[:-1] if abs(box[0] - sign_out[0]) < 8]
    return bool(same_row) and all(abs(box[0] - sign_out[0]) < 0.5
                                  and abs(box[1] - sign_out[1]) < 0.5 for box in same_row)


def test_admin_signs_in_with_a_password_in_chromium(page, make_user, org):
    make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
              password="correct horse battery")
    page.goto("/signin")
    assert serious_violations(page) == []
    screenshot(page, "signin")

    page.get_by_label("Work email").nth(1).fill("hr@acme.example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password do not match")).to_be_visible()
    assert page.get_by_label("Work email").nth(1).input_value() == "hr@acme.example.com"
    assert serious_violations(page) == []

    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    assert "Acme Care" in page.title()
    assert serious_violations(page) == []
    screenshot(page, "admin-home")

    assert menu_boxes_align(page)
    page.set_viewport_size({"width": 375, "height": 800})
    # On a phone the menu folds behind one button instead of taking three rows.
    assert not page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("button", name="Menu").click()
    screenshot(page, "admin-home-375")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_participant_follows_an_emailed_link_in_chromium(page, participant, live_server, app):
    import re

    from sqlalchemy import select

    from wellbeing.extensions import db
    from wellbeing.notifications.models import OutboxMessage

    page.goto("/signin")
    page.get_by_label("Work email").first.fill(participant.email)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_text("Check your email.")).to_be_visible()
    body = db.session.scalar(select(OutboxMessage.body_text))
    link = re.search(r"(http://127\.0\.0\.1:\d+/signin/link/\S+)", body).group(1)
    page.goto(link)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Continue to Wellbeing").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()


def test_keyboard_users_can_skip_to_the_content(page):
    page.goto("/signin")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    screenshot(page, "skip-link-focus")
