"""The delivery view: HR and the cohort's facilitators see counts, never a body; only HR
sees who failed, why, and can send again; nudge and survey-reminder counts, which would
measure progress, are ranges hidden below the minimum group size."""
import datetime as dt

from wellbeing.auth.models import FACILITATOR
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

from .helpers import at, plan_at, rows, send_at

START = dt.date(2026, 3, 2)


def _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server):
    cohort = make_cohort(org=org, name="Spring", start=START, facilitators=[facilitator])
    for i in range(3):
        enroll(make_user(org=org, email=f"p{i}@acme.example.com", name=f"Person {i}"), cohort)
    enroll(make_user(org=org, email="bounce@acme.example.com", name="Bea Bounce"), cohort)
    smtp_server.reject = {"bounce@acme.example.com"}
    plan_at(at(2026, 3, 9, 9, 0))
    send_at(at(2026, 3, 9, 9, 0))
    # Week 2's nudge (Thu 12 Mar) is planned but not sent yet.
    plan_at(at(2026, 3, 12, 8, 0))
    return cohort


def test_a_refused_address_fails_at_once_and_hr_sees_who_and_why(
        client, login, admin, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server)
    [bounced] = [r for r in rows("week-opened", week=2) if r.status == "failed"]
    assert bounced.attempts == 1 and bounced.last_error.startswith("550")
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    assert "Bea Bounce" in page and "bounce@acme.example.com" in page
    assert "550 5.1.1 No such mailbox here" in page
    # Week opened: planned 0 (all went), the rest counted
    assert '<th scope="row">Week opened</th>\n      \n      <td data-label="Planned">0</td>' \
        in page
    assert "Hidden: fewer than 5" in page  # four planned nudges: below the minimum
    assert "Week 2 of your self-compassion course" not in page  # never a body
    assert "Send again" in page


def test_hr_sends_a_failed_message_again(client, login, admin, facilitator, make_cohort,
                                          make_user, enroll, org, smtp_server,
                                          handed_to_worker):
    cohort = _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server)
    [bounced] = [r for r in rows("week-opened", week=2) if r.status == "failed"]
    login(client, admin)
    handed_to_worker()
    response = client.post(f"/reminders/cohorts/{cohort.id}/delivery/{bounced.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.get(OutboxMessage, bounced.id)
    assert (again.status, again.attempts) == ("pending", 0)
    assert handed_to_worker("urgent") == ["wellbeing.deliver"]


def test_a_facilitator_sees_counts_but_nobody_and_cannot_retry(
        client, login, admin, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server)
    [bounced] = [r for r in rows("week-opened", week=2) if r.status == "failed"]
    login(client, facilitator)
    response = client.get(f"/reminders/cohorts/{cohort.id}/delivery")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Week opened" in page
    assert "Bea Bounce" not in page and "bounce@acme.example.com" not in page
    assert "550" not in page and "Send again" not in page
    refused = client.post(f"/reminders/cohorts/{cohort.id}/delivery/{bounced.id}/retry")
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(OutboxMessage, bounced.id).status == "failed"


def test_other_facilitators_and_participants_are_kept_out(
        client, login, make_user, facilitator, make_cohort, enroll, org, participant):
    cohort = make_cohort(org=org, start=START, facilitators=[facilitator])
    other = make_user(FACILITATOR, org=org, email="other@acme.example.com")
    login(client, other)
    assert client.get(f"/reminders/cohorts/{cohort.id}/delivery").status_code == 404
    login(client, participant)
    assert client.get(f"/reminders/cohorts/{cohort.id}/delivery").status_code == 403


def test_progress_counts_are_ranges_even_when_large_enough(
        client, login, admin, make_cohort, make_user, enroll, org, smtp_server):
    cohort = make_cohort(org=org, start=START)
    for i in range(12):
        enroll(make_user(org=org, email=f"q{i}@acme.example.com"), cohort)
    plan_at(at(2026, 3, 12, 8, 0))  # twelve nudges for week 2 planned
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    assert "10–19" in page
    assert ">12<" not in page and " 12," not in page
