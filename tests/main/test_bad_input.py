"""Odd input found by a review: each gets a clear page, never a server error."""
import datetime as dt

import time_machine
from sqlalchemy import select

from wellbeing.auth.models import ADMIN
from wellbeing.extensions import db
from wellbeing.notifications import mailer
from wellbeing.notifications.models import OutboxMessage

COHORT = {"name": "Leap year group", "start_date": "2028-03-06",
          "release_time": "09:00", "timezone": "Europe/London", "weeks": "8"}


def test_cohorts_can_be_created_on_29_february(client, login, make_user, org):
    login(client, make_user(ADMIN, org=org))
    with time_machine.travel(dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC), tick=False):
        login(client, make_user(ADMIN, org=org))
        response = client.post("/cohorts/new", data=COHORT)
    assert response.status_code == 302


def test_impossible_dates_are_explained(client, login, make_user, org):
    login(client, make_user(ADMIN, org=org))
    bad_day = client.post("/cohorts/new", data=dict(COHORT, start_date="2026-02-30"))
    assert bad_day.status_code == 400 and "Leap year group" in bad_day.get_data(as_text=True)
    ancient = client.post("/cohorts/new", data=dict(COHORT, start_date="0001-01-01"))
    assert ancient.status_code == 400
    assert "within three years of today" in ancient.get_data(as_text=True)


def test_an_id_too_large_for_the_database_is_not_found(client, login, make_user, org):
    login(client, make_user(ADMIN, org=org))
    assert client.get("/cohorts/99999999999999999999").status_code == 404
    assert client.get(f"/cohorts/{2**31}").status_code == 404


def test_a_nul_character_pasted_into_a_form_is_dropped_and_the_rest_kept(
        client, login, make_user, org):
    """No keyboard types NUL and PostgreSQL cannot store it: one pasted in is dropped,
    and what the person wrote is saved (refusing lost a whole journal entry)."""
    from wellbeing.cohorts.models import Cohort
    login(client, make_user(ADMIN, org=org))
    response = client.post("/cohorts/new", data=dict(COHORT, name="Nul\x00group"))
    assert response.status_code == 302
    assert db.session.scalar(select(Cohort.name)) == "Nulgroup"


def test_a_line_break_in_an_organisation_name_stays_out_of_email_headers(
        client, login, make_user, org, participant, make_cohort, enroll):
    from wellbeing.cohorts.invitations import invite
    org.name = "Acme\r\nBcc: someone@evil.example"
    db.session.commit()
    cohort = make_cohort(org=org, start=dt.date(2030, 3, 4))
    invite(enroll(participant, cohort), cohort, participant)
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).filter_by(kind="invitation"))
    email = mailer.build(message)
    assert email["Subject"] == "You're invited: Acme Bcc: someone@evil.example wellbeing course"
    assert email["Bcc"] is None


def test_a_nul_character_in_the_query_is_refused(client, login, make_user, org):
    login(client, make_user(ADMIN, org=org))
    assert client.get("/cohorts/?archived=1%00").status_code == 400


def test_a_number_box_gives_one_plain_message_per_mistake(client, login, make_user, org,
                                                          make_cohort):
    cohort = make_cohort(org=org, start=dt.date(2030, 3, 4))
    login(client, make_user(ADMIN, org=org))
    url = f"/surveys/cohorts/{cohort.id}/settings"
    base = {"instruments": ["SCS-SF"], "followup_enabled": "y"}
    typed = client.post(url, data=dict(base, followup_weeks="twelve")).get_data(as_text=True)
    assert "Enter a whole number, like 12." in typed and "Not a valid integer" not in typed
    assert "Choose between 4 and 52 weeks." not in typed
    assert 'value="twelve"' in typed
    empty = client.post(url, data=dict(base, followup_weeks="")).get_data(as_text=True)
    assert empty.count("Choose between 4 and 52 weeks.") >= 1
    assert "Not a valid integer" not in empty and "Enter a whole number" not in empty
