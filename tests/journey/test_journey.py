"""The whole product in one walk, in Debian's Chromium, with a real Celery worker and a
real SMTP server, on a clock that moves through the eight weeks of a Berlin cohort.

HR invites a facilitator (who accepts from the mail), creates a cohort and enrolls six
people from a CSV; each signs in from the invitation that reached the SMTP server and
takes the survey before the course. Beat's ticks run on the worker at chosen moments:
the "week is open" mail arrives after 09:00 Berlin time and not a minute before, across
the change to summer time. People open their module and log practice, take the survey
after the course and read their own change; after it closes (and the answers' release
delay) the facilitator reads the outcome dashboard of the six, and a three-person cohort
shows its figures suppressed. axe-core finds nothing serious or critical on any page.

Screenshots go to test-artifacts/journey-NN-<step>.png; with SAVE_SCREENSHOTS=1 also to
docs/screenshots/ (the README shows some of them)."""
import datetime as dt
import os
import re
import shutil
import statistics
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.browser.axe import ARTIFACTS, serious_violations
from wellbeing.auth.models import ADMIN
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

pytestmark = [pytest.mark.browser, pytest.mark.services]
BERLIN = ZoneInfo("Europe/Berlin")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def berlin(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


# A Monday a week before the start; the course runs 1 March to 25 April 2027 and Berlin
# moves to summer time on 28 March, so week 5 opens at 07:00 UTC, not 08:00.
JOURNEY_STARTS = berlin(2027, 2, 22, 10, 0)
START = dt.date(2027, 3, 1)
WEEK_1, WEEK_5 = berlin(2027, 3, 1, 9, 0), berlin(2027, 3, 29, 9, 0)
POST_OPENS = berlin(2027, 4, 25, 9, 0)  # the course's last day, at release time
POST_CLOSES = berlin(2027, 5, 9, 9, 0)
RELEASE_DELAY = dt.timedelta(minutes=15)  # surveys/release.py: RELEASE_AFTER

# Per person: PSS-10 with every item at one value v (total 16 + 2v, items 4, 5, 7, 8
# reversed) and SCS-SF "keyed" at k (every item answered so that its keyed value is k:
# the total is k). Before and after.
PEOPLE = [("Ana Silva", 3, 2, 1, 4), ("Bo Berg", 3, 3, 2, 4), ("Cem Demir", 4, 2, 2, 3),
          ("Dita Novak", 2, 3, 1, 5), ("Eli Gold", 3, 2, 2, 3), ("Femi Ade", 4, 1, 2, 4)]
SMALL = [("Gus Hale", 3, 2, 2, 4), ("Hui Lin", 2, 3, 1, 4), ("Ida Moe", 3, 3, 2, 3)]
SCS_REVERSED = {1, 4, 8, 9, 11, 12}
PSS_REVERSED = {4, 5, 7, 8}


def email_of(name: str) -> str:
    return name.split()[0].lower() + "@acme.example.com"


def csv_of(people) -> bytes:
    rows = ["email,name,department"] + [f"{email_of(n)},{n},Care" for n, *_ in people]
    return ("\n".join(rows) + "\n").encode()


class Shots:
    def __init__(self):
        self.n = 0
        self.keep = os.environ.get("SAVE_SCREENSHOTS") == "1"
        self.since = time.monotonic()

    def __call__(self, page, step: str, full_page: bool = True) -> None:
        """axe first (a step with a serious problem fails here), then the picture."""
        began = time.monotonic()
        assert serious_violations(page) == [], step
        axe = time.monotonic() - began
        self.n += 1
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"journey-{self.n:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if self.keep:
            shutil.copy(path, DOCS / path.name)
        print(f"{path.name}: {time.monotonic() - self.since:.1f} s (axe {axe:.1f} s)")
        self.since = time.monotonic()


def mails(smtp, to: str, subject_part: str) -> list:
    return [m for m in smtp.messages if m["To"] == to and subject_part in m["Subject"]]


def wait_for_mail(smtp, to: str, subject_part: str, count: int = 1):
    deadline = time.monotonic() + 30
    while len(mails(smtp, to, subject_part)) < count:
        assert time.monotonic() < deadline, f"no '{subject_part}' mail to {to}"
        time.sleep(0.05)
    return mails(smtp, to, subject_part)[count - 1]


def link_in(mail) -> str:
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/signin/link/[\w-]+", body)[0]


def answer_survey(page, pss: int, scs: int, by_hand: bool = False) -> None:
    """Answer every statement and send. By hand: a click on each answer's label, as a
    person does (slow: 22 clicks); otherwise the same radio buttons ticked in one go."""
    ids = [f"scssf_{n}-{(6 - scs if n in SCS_REVERSED else scs) - 1}" for n in range(1, 13)]
    ids += [f"pss10_{n}-{pss}" for n in range(1, 11)]
    page.wait_for_load_state("load")  # the page's script counts the answers once it runs
    if by_hand:
        for radio in ids:
            page.locator(f"label[for='{radio}']").click()
    else:
        page.evaluate("""ids => ids.forEach(id => {
            const radio = document.getElementById(id);
            radio.checked = true;
            radio.dispatchEvent(new Event("change", {bubbles: true}));
        })""", ids)
    assert page.locator("#answered-count").inner_text() == "22"
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="My results").wait_for()


def planned_week_mail(week: int) -> list[dt.datetime]:
    """When the planned "week is open" mails are due (what HR's delivery page lists)."""
    db.session.expire_all()
    due = list(db.session.scalars(select(OutboxMessage.due_at).filter_by(
        kind="week-opened", week=week, status="pending")))
    db.session.rollback()  # hold no read transaction open beside the app and the worker
    return due


def sign_in_with_password(page, email: str, password: str) -> None:
    page.goto("/signin")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def test_the_whole_journey(app, browser, live_server, make_user, make_org, smtp_server,
                           journey_clock, clocked_worker):
    shot = Shots()
    org = make_org(name="Acme Care", timezone="Europe/Berlin")
    make_user(ADMIN, org=org, email="hr@acme.example.com", name="Hana Admin",
              password="correct horse battery")

    def context():
        return browser.new_context(base_url=live_server,
                                   viewport={"width": 1280, "height": 900})

    # HR invites a facilitator, who accepts from the mail.
    hr = context().new_page()
    sign_in_with_password(hr, "hr@acme.example.com", "correct horse battery")
    hr.get_by_role("link", name="People").click()
    hr.fill("#name", "Fay Facilitator")
    hr.fill("#email", "fay@acme.example.com")
    hr.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to fay@acme.example.com" in hr.inner_text(".flashes")
    shot(hr, "hr-invites-a-facilitator")
    fay = context().new_page()
    fay.goto(link_in(wait_for_mail(smtp_server, "fay@acme.example.com", "invites you")))
    fay.get_by_role("button", name="Continue to Wellbeing").click()
    fay.wait_for_url("**/password?welcome=1")
    shot(fay, "facilitator-accepts")

    # HR creates two cohorts with Fay and enrolls people from CSV files.
    cohorts = {}
    for name, people in (("Spring 2027, Care", PEOPLE), ("Night shift pilot", SMALL)):
        hr.goto("/cohorts/new")
        hr.fill("#name", name)
        hr.fill("#start_date", START.isoformat())
        hr.fill("#release_time", "09:00")
        assert hr.locator("#timezone").input_value() == "Europe/Berlin"
        hr.get_by_label("Fay Facilitator").check()
        if not cohorts:
            shot(hr, "hr-creates-a-cohort")
        hr.get_by_role("button", name="Save cohort").click()
        hr.wait_for_url("**/enroll")
        cohorts[name] = int(re.search(r"/cohorts/(\d+)/enroll", hr.url)[1])
        hr.set_input_files("#csv-file", files=[{"name": "people.csv", "mimeType": "text/csv",
                                                 "buffer": csv_of(people)}])
        hr.get_by_role("button", name="Check the file").click()
        hr.wait_for_url("**/imports/**")
        if len(cohorts) == 1:
            shot(hr, "hr-checks-the-csv")
        hr.get_by_role("button", name=re.compile(f"Import {len(people)} people")).click()
        if len(cohorts) == 1:
            hr.get_by_text(PEOPLE[-1][0]).first.wait_for()
            shot(hr, "hr-sees-the-roster")
    small = cohorts["Night shift pilot"]

    # Each person signs in from the invitation at the SMTP server; pre survey.
    people = {}  # name -> their browser (its cookies keep them signed in)
    for i, (name, pss_pre, scs_pre, *_) in enumerate(PEOPLE + SMALL):
        invitation = wait_for_mail(smtp_server, email_of(name), "invited")
        page = context().new_page()
        if i == 0:
            page.set_content(invitation.get_body(("html",)).get_content())
            shot(page, "invitation-mail")
        page.goto(link_in(invitation))
        page.get_by_role("button", name="Continue to Wellbeing").click()
        page.get_by_role("button", name="Sign out").wait_for()
        if i == 0:
            shot(page, "participant-welcome")
        page.get_by_role("link", name="Take the survey").first.click()
        if i == 0:
            shot(page, "pre-survey")
        answer_survey(page, pss_pre, scs_pre, by_hand=i == 0)
        if i == 0:
            shot(page, "pre-survey-results")
        people[name] = page.context
        page.close()  # an open page per person would keep nine renderers busy
        print(f"  {name} joined and answered: {time.monotonic() - shot.since:.1f} s")

    # Week 1 opens at 09:00 Berlin (08:00 UTC): beat a minute before sends nothing.
    ana = email_of(PEOPLE[0][0])
    for opening, week in ((WEEK_1, 1), (WEEK_5, 5)):
        journey_clock.move(opening - dt.timedelta(minutes=1))
        clocked_worker.beat()
        assert not [m for m in smtp_server.messages if f"Week {week} is open" in m["Subject"]]
        assert planned_week_mail(week) == [opening] * len(PEOPLE + SMALL)  # due, waiting
        journey_clock.move(opening + dt.timedelta(seconds=20))
        clocked_worker.beat()
        for name, *_ in PEOPLE + SMALL:
            mail = wait_for_mail(smtp_server, email_of(name), f"Week {week} is open")
            assert opening <= mail.received_at < opening + dt.timedelta(minutes=1)
        if week == 1:
            page = people[PEOPLE[0][0]].new_page()
            page.set_content(wait_for_mail(smtp_server, ana, "Week 1 is open")
                             .get_body(("html",)).get_content())
            shot(page, "week-opened-mail")
            page.close()
    assert WEEK_5.astimezone(dt.UTC).hour == 7  # summer time: an hour earlier in UTC

    # In week 5 everyone opens the module and logs practice.
    for i, (name, *_) in enumerate(PEOPLE):
        page = people[name].new_page()
        page.goto("/course/")
        page.get_by_role("link", name="Open week 5").click()
        if i == 0:
            shot(page, "participant-opens-week-5")
        page.get_by_role("navigation", name="Main").get_by_role("link",
                                                               name="Practice log").click()
        page.get_by_label("Practice", exact=True).select_option(index=1)
        page.get_by_label("Minutes", exact=True).fill(str(10 + 5 * i))
        page.get_by_role("button", name="Log practice").click()
        page.get_by_role("status").get_by_text(f"Logged {10 + 5 * i} minutes").wait_for()
        if i == 0:
            shot(page, "participant-logs-practice")
        page.close()

    # The last day: the post survey opens; everyone answers and reads their change.
    journey_clock.move(POST_OPENS + dt.timedelta(minutes=1))
    clocked_worker.beat()
    wait_for_mail(smtp_server, ana, "survey")
    for i, (name, pss_pre, scs_pre, pss_post, scs_post) in enumerate(PEOPLE + SMALL):
        page = people[name].new_page()
        page.goto("/surveys/")
        page.get_by_role("link", name="Take the survey after the course").click()
        answer_survey(page, pss_post, scs_post)
        text = page.locator("main").inner_text()
        assert (f"{16 + 2 * pss_pre} before the course, {16 + 2 * pss_post} after the course"
                in text)
        assert f"{scs_pre:.2f} before the course, {scs_post:.2f} after the course" in text
        if i == 0:
            shot(page, "participant-sees-their-change")
        page.close()

    # After the close and the release delay, beat releases the answers and keeps the
    # outcome snapshot; the facilitator reads the dashboard.
    journey_clock.move(POST_CLOSES + RELEASE_DELAY + dt.timedelta(minutes=1))
    clocked_worker.beat()
    fay.goto("/outcomes/")
    fay.get_by_role("link", name="See outcomes of Spring 2027, Care").click()
    # Both before-and-after charts and engagement (practice needs 10 people: hidden).
    fay.locator(".chart.is-drawn").nth(2).wait_for()
    text = fay.locator("main").inner_text()
    pss_pre = [16 + 2 * p[1] for p in PEOPLE]
    assert f"{statistics.mean(pss_pre):.1f} ({statistics.stdev(pss_pre):.1f})" in text
    scs_pre, scs_post = [p[2] for p in PEOPLE], [p[4] for p in PEOPLE]
    assert (f"the average went from {statistics.mean(scs_pre):.3f} before the course to "
            f"{statistics.mean(scs_post):.3f} after it among the 6 people who answered both"
            in text)
    shot(fay, "facilitator-outcome-dashboard")
    fay.evaluate("window.scrollTo(0, 0)")
    shot(fay, "facilitator-outcome-dashboard-top", full_page=False)
    fay.goto(f"/outcomes/cohorts/{small}")
    text = fay.locator("main").inner_text()
    assert "Nothing from this cohort can be shown" in text
    assert "would rest on fewer than 5 people" in text and "Average before (SD)" not in text
    shot(fay, "small-cohort-suppressed")
