"""In Chromium: a participant opens a received reminder, sets preferences, and later
unsubscribes from the mail's own link without being signed in; axe finds no serious or
critical problem on any of these pages."""
import datetime as dt
import re

import pytest

from tests.browser.axe import screenshot, serious_violations
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.delivery import deliver_due
from wellbeing.reminders.models import MailPreference
from wellbeing.reminders.planner import plan_due_messages

pytestmark = pytest.mark.browser


def test_preferences_and_one_click_unsubscribe_from_a_received_mail(
        page, browser, live_server, participant, make_cohort, enroll, org, smtp_server):
    opening = (now_utc() - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    cohort = make_cohort(org=org, name="Spring", tz="UTC", release=opening.time(),
                         start=opening.date() - dt.timedelta(days=7))
    enroll(participant, cohort)
    db.session.add(MailPreference(user_id=participant.id, week_opened=True, nudges=True,
                                  survey_reminders=True, quiet_start=dt.time(0, 0),
                                  quiet_end=dt.time(0, 0)))
    db.session.commit()
    plan_due_messages(now_utc())
    db.session.commit()
    deliver_due()
    [mail] = smtp_server.messages
    html = mail.get_body(("html",)).get_content()
    page.set_content(html)
    screenshot(page, "reminder-week-opened-mail")

    link = re.search(r"(http://127\.0\.0\.1:\d+/signin/link/\S+)",
                     mail.get_body(("plain",)).get_content()).group(1)
    page.goto(link)
    page.get_by_role("button", name="Continue to Wellbeing").click()
    page.wait_for_url(re.compile(r"/course/weeks/2$"))

    page.goto("/reminders/preferences")
    assert serious_violations(page) == []
    page.get_by_label("Quiet from").fill("21:61")
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_role("alert").get_by_text("Enter a time like 20:00").wait_for()
    assert page.get_by_label("Quiet from").input_value() == "21:61"
    assert serious_violations(page) == []
    screenshot(page, "reminder-preferences-error")
    page.get_by_label("Quiet from").fill("21:30")
    page.get_by_label("A reminder when a module waits unread").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your email preferences are saved.").wait_for()
    assert page.get_by_label("Quiet from").input_value() == "21:30"
    assert not page.get_by_label("A reminder when a module waits unread").is_checked()
    assert serious_violations(page) == []
    screenshot(page, "reminder-preferences")

    # Later, not signed in (another browser), from the List-Unsubscribe link of the mail.
    url = mail["List-Unsubscribe"].strip("<>")
    stranger = browser.new_context(base_url=live_server)
    other = stranger.new_page()
    other.goto(url)
    other.get_by_role("heading", name="Stop these emails?").wait_for()
    assert serious_violations(other) == []
    screenshot(other, "reminder-unsubscribe-confirm")
    other.get_by_role("button", name="Stop these emails").click()
    other.get_by_role("heading", name="You will not get these emails any more").wait_for()
    assert serious_violations(other) == []
    screenshot(other, "reminder-unsubscribed")
    stranger.close()
    db.session.expire_all()
    saved = db.session.get(MailPreference, participant.id)
    assert (saved.week_opened, saved.nudges) == (False, False)


def test_hr_reads_the_delivery_view_and_sends_a_failed_message_again(
        page, make_user, make_cohort, enroll, org, smtp_server):
    from wellbeing.auth.models import ADMIN
    make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
              password="correct horse battery")
    opening = (now_utc() - dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    cohort = make_cohort(org=org, name="Spring", tz="UTC", release=opening.time(),
                         start=opening.date() - dt.timedelta(days=7))
    for i, email in enumerate(["ann@acme.example.com", "ben@acme.example.com",
                               "bea.bounce@acme.example.com"]):
        user = make_user(org=org, email=email, name=["Ann", "Ben", "Bea Bounce"][i])
        enroll(user, cohort)
        db.session.add(MailPreference(user_id=user.id, week_opened=True, nudges=True,
                                      survey_reminders=True, quiet_start=dt.time(0, 0),
                                      quiet_end=dt.time(0, 0)))  # no quiet hours
    db.session.commit()
    smtp_server.reject = {"bea.bounce@acme.example.com"}
    plan_due_messages(now_utc())
    db.session.commit()
    deliver_due()
    page.goto("/signin")
    page.get_by_label("Work email").nth(1).fill("hr@acme.example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto(f"/cohorts/{cohort.id}")
    page.get_by_role("link", name="Email delivery").click()
    page.get_by_role("heading", name="Email delivery").wait_for()
    page.get_by_text("550 5.1.1 No such mailbox here").wait_for()
    assert serious_violations(page) == []
    screenshot(page, "reminder-delivery-view")
    # On a phone every row is a card: the failed and cancelled counts are on screen,
    # each with its label, and nothing needs sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.get_by_text("550 5.1.1 No such mailbox here").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    failed = page.locator("td[data-label='Failed']").first
    assert failed.is_visible() and failed.bounding_box()["x"] + 20 < 390
    assert serious_violations(page) == []
    screenshot(page, "reminder-delivery-view-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    smtp_server.reject = set()
    page.get_by_role("button", name="Send again to bea.bounce@acme.example.com").click()
    page.get_by_text("will be sent again now").wait_for()
    assert serious_violations(page) == []


def test_a_facilitator_writes_previews_and_sends_an_announcement(
        page, make_user, make_cohort, enroll, org):
    from wellbeing.auth.models import FACILITATOR
    facilitator = make_user(FACILITATOR, org=org, email="femi@acme.example.com",
                            name="Femi Facilitator", password="correct horse battery")
    cohort = make_cohort(org=org, name="Spring", facilitators=[facilitator])
    enroll(make_user(org=org, email="ann@acme.example.com", name="Ann Example"), cohort)
    page.goto("/signin")
    page.get_by_label("Work email").nth(1).fill("femi@acme.example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.goto(f"/reminders/cohorts/{cohort.id}/delivery")
    page.get_by_role("link", name="Write an announcement to this cohort").click()
    page.get_by_label("Message").fill("We meet **in room 4** on Thursday.")
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Enter a subject.").first.wait_for()
    assert page.get_by_label("Message").input_value() == "We meet **in room 4** on Thursday."
    assert serious_violations(page) == []
    page.get_by_label("Subject").fill("Well done, Ann!")
    page.get_by_role("button", name="Preview").click()
    # Naming someone to the whole cohort: the preview asks to check, and offers the change.
    page.get_by_text("this seems to name someone in the cohort").wait_for()
    assert "(Ann Example)" in page.locator("#names-check").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "reminder-announcement-names-check")
    page.get_by_role("link", name="Change it").click()
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Markdown").check()
    page.get_by_role("button", name="Preview").click()
    page.locator("strong", has_text="in room 4").wait_for()
    assert page.locator("#names-check").count() == 0
    assert serious_violations(page) == []
    screenshot(page, "reminder-announcement-preview")
    page.get_by_role("button", name="Send to every active participant").click()
    page.get_by_text("is on its way").wait_for()
    assert serious_violations(page) == []
