"""The preferences page, and one-click unsubscribe (RFC 8058) that works with no session
and no CSRF token, from a token that names the person and kind without revealing them."""
import base64
import datetime as dt

from wellbeing.extensions import db
from wellbeing.reminders.models import CohortPlan, MailPreference
from wellbeing.reminders.unsubscribe import make_token


def _form(**changes):
    data = {"week_opened": "y", "nudges": "y", "survey_reminders": "y",
            "timezone": "Europe/London", "quiet_start": "20:00", "quiet_end": "08:00"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_preferences_are_saved_and_ask_the_planner_for_a_full_pass(
        client, login, participant, make_cohort, enroll, org):
    cohort = make_cohort(org=org)
    enroll(participant, cohort)
    db.session.add(CohortPlan(cohort_id=cohort.id, replan=False))
    db.session.commit()
    login(client, participant)
    page = client.get("/reminders/preferences").get_data(as_text=True)
    assert 'value="20:00"' in page and "Each week" in page
    response = client.post("/reminders/preferences", data=_form(
        nudges=None, timezone="Asia/Tokyo", quiet_start="21:30", quiet_end="07:15"))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(MailPreference, participant.id)
    assert (saved.week_opened, saved.nudges, saved.survey_reminders) == (True, False, True)
    assert (saved.quiet_start, saved.quiet_end) == (dt.time(21, 30), dt.time(7, 15))
    assert participant.timezone == "Asia/Tokyo"
    assert db.session.get(CohortPlan, cohort.id).replan is True


def test_a_time_that_is_not_a_time_is_explained_and_kept(client, login, participant):
    login(client, participant)
    response = client.post("/reminders/preferences", data=_form(quiet_start="25:00",
                                                                quiet_end="8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("Enter a time like 20:00 (24-hour clock).") >= 2
    assert 'value="25:00"' in page and 'value="8"' in page
    assert db.session.get(MailPreference, participant.id) is None


def test_one_click_unsubscribe_by_post_needs_no_session_and_no_csrf_token(
        app, client, participant, csrf_on):
    token = make_token(participant.id, "nudges")
    response = client.post(f"/reminders/unsubscribe/{token}",
                           data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "will not get these emails" in response.get_data(as_text=True)
    saved = db.session.get(MailPreference, participant.id)
    assert (saved.nudges, saved.week_opened, saved.survey_reminders) == (False, True, True)


def test_a_get_only_asks_to_confirm(client, participant):
    token = make_token(participant.id, "week_opened")
    response = client.get(f"/reminders/unsubscribe/{token}")
    assert response.status_code == 200
    assert "Stop these emails?" in response.get_data(as_text=True)
    assert db.session.get(MailPreference, participant.id) is None


def test_opening_the_link_again_after_unsubscribing_says_the_emails_are_already_off(
        client, participant):
    token = make_token(participant.id, "nudges")
    client.post(f"/reminders/unsubscribe/{token}")
    response = client.get(f"/reminders/unsubscribe/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "These emails are already off" in page and "Stop these emails" not in page
    assert "<form" not in page.split("<main", 1)[1]  # nothing to press a second time
    assert 'href="/reminders/preferences"' in page  # where to switch them back on
    # Another kind of mail, still on, is still offered.
    other = client.get(f"/reminders/unsubscribe/{make_token(participant.id, 'week_opened')}")
    assert "Stop these emails?" in other.get_data(as_text=True)


def test_a_tampered_token_is_refused(client, participant):
    token = make_token(participant.id, "nudges")
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    for bad in (flipped, token[:-4], "nonsense"):
        response = client.post(f"/reminders/unsubscribe/{bad}")
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    assert db.session.get(MailPreference, participant.id) is None


def test_the_token_reveals_neither_the_person_nor_the_kind(participant):
    token = make_token(participant.id, "survey_reminders")
    decoded = base64.urlsafe_b64decode(token + "==")
    assert b"survey" not in decoded and str(participant.id).encode() + b"," not in decoded
    assert make_token(participant.id, "survey_reminders") != token  # not a fixed label
