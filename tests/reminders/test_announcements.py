"""A facilitator's announcement: written, previewed, confirmed; sent once to the active
participants only, never held for quiet hours, Markdown sanitised as in modules."""
import re

from sqlalchemy import select

from wellbeing.auth.models import FACILITATOR
from wellbeing.cohorts.models import INVITED, WITHDRAWN
from wellbeing.extensions import db
from wellbeing.notifications.delivery import deliver_due
from wellbeing.reminders.models import Announcement

MARKDOWN = ("## Thursday's session\n\nWe meet **in room 4**. [Map](https://example.com/map)"
            "\n\n<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a>")


def _cohort(make_cohort, make_user, enroll, org, facilitator):
    cohort = make_cohort(org=org, name="Spring", facilitators=[facilitator])
    active = [make_user(org=org, email=f"a{i}@acme.example.com", name=f"Ann {i}")
              for i in range(2)]
    for user in active:
        enroll(user, cohort)
    enroll(make_user(org=org, email="invited@acme.example.com"), cohort, status=INVITED)
    enroll(make_user(org=org, email="left@acme.example.com"), cohort, status=WITHDRAWN)
    return cohort, active


def test_a_facilitator_previews_then_sends_to_active_participants_once(
        client, login, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort, active = _cohort(make_cohort, make_user, enroll, org, facilitator)
    login(client, facilitator)
    deliver_due()  # the facilitator's own sign-in link
    smtp_server.messages.clear()
    response = client.post(f"/reminders/cohorts/{cohort.id}/announcements/new", data={
        "subject": "Room change", "body": MARKDOWN, "format": "markdown"})
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>in room 4</strong>" in preview and "<h2>Thursday" in preview
    assert "<script>" not in preview and "javascript:" not in preview
    assert smtp_server.messages == [] and deliver_due() == {}  # nothing before confirming
    draft = db.session.scalar(select(Announcement))
    url = f"/reminders/cohorts/{cohort.id}/announcements/{draft.id}"
    assert client.post(url).status_code == 302
    again = client.post(url, follow_redirects=True)  # a second click, another tab
    assert "already been sent" in again.get_data(as_text=True)
    deliver_due()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(u.email for u in active)
    mail = smtp_server.messages[0]
    assert mail["Subject"] == "Room change · Acme Care"
    assert mail["List-Unsubscribe"] is None  # not an optional kind
    html = mail.get_body(("html",)).get_content()
    assert "<strong>in room 4</strong>" in html and "<script>" not in html
    assert "Femi Facilitator" in html
    assert re.search(r"/signin/link/[\w-]{40,}", mail.get_body(("plain",)).get_content())


def test_a_missing_subject_is_explained_and_the_message_kept(
        client, login, facilitator, make_cohort, make_user, enroll, org):
    cohort, _ = _cohort(make_cohort, make_user, enroll, org, facilitator)
    login(client, facilitator)
    response = client.post(f"/reminders/cohorts/{cohort.id}/announcements/new",
                           data={"subject": "  ", "body": "See you Thursday.",
                                 "format": "plain"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a subject." in page and "See you Thursday." in page
    assert db.session.scalar(select(Announcement)) is None


def test_only_the_cohorts_own_staff_may_write(client, login, facilitator, make_user,
                                              make_cohort, enroll, org, participant):
    cohort, _ = _cohort(make_cohort, make_user, enroll, org, facilitator)
    login(client, make_user(FACILITATOR, org=org, email="other@acme.example.com"))
    assert client.get(f"/reminders/cohorts/{cohort.id}/announcements/new").status_code == 404
    login(client, participant)
    assert client.get(f"/reminders/cohorts/{cohort.id}/announcements/new").status_code == 403


def test_plain_text_keeps_its_lines_and_escapes_markup(
        client, login, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort, _ = _cohort(make_cohort, make_user, enroll, org, facilitator)
    login(client, facilitator)
    response = client.post(f"/reminders/cohorts/{cohort.id}/announcements/new", data={
        "subject": "Hello", "body": "Line one\nline <b>two</b>\n\nNew paragraph",
        "format": "plain"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<p>Line one<br>line &lt;b&gt;two&lt;/b&gt;</p>\n<p>New paragraph</p>" in page


def test_the_preview_asks_to_check_an_announcement_that_names_someone_in_the_cohort(
        client, login, facilitator, make_cohort, make_user, enroll, org):
    cohort, _ = _cohort(make_cohort, make_user, enroll, org, facilitator)
    enroll(make_user(org=org, name="Alex Rivera"), cohort)
    login(client, facilitator)

    def preview(subject, body):
        response = client.post(f"/reminders/cohorts/{cohort.id}/announcements/new",
                               data={"subject": subject, "body": body, "format": "plain"})
        return client.get(response.headers["Location"]).get_data(as_text=True)

    named = preview("Well done", "Well done alex rivera for finishing week 2!")
    assert "this seems to name someone in the cohort</strong> (Alex Rivera)" in named
    assert 'value="Send to every active participant"' in named  # a check, not a refusal
    assert "(Alex Rivera)" in preview("Thanks Alex", "See you on Thursday.")
    calm = preview("Thursday", "We meet in room 4. I hope the week was kind to you.")
    assert "seems to name" not in calm
