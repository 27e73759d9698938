"""The delivery view: HR and the cohort's facilitators see counts, never a body; only HR
sees who failed, why, and can send again; nudge and survey-reminder counts, which would
measure progress, are ranges hidden below the minimum group size."""
import datetime as dt

from wellbeing.auth.models import FACILITATOR
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.reminders.report import handle

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
    response = client.post(f"/reminders/cohorts/{cohort.id}/delivery/{handle(bounced)}/retry")
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
    refused = client.post(f"/reminders/cohorts/{cohort.id}/delivery/{handle(bounced)}/retry")
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
    send_at(at(2026, 3, 12, 9, 0))  # and sent
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    assert '<td data-label="Sent">10–19</td>' in page
    assert ">12<" not in page and " 12," not in page


def test_a_failed_nudge_names_nobody_anywhere_and_cannot_be_sent_again(
        client, login, admin, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server)
    # Person 0's week-2 email arrived; only their nudge (they had not opened week 2) fails.
    smtp_server.reject = {"p0@acme.example.com"}
    send_at(at(2026, 3, 12, 9, 0))
    [nudge] = [r for r in rows("nudge", week=2) if r.to_email == "p0@acme.example.com"]
    assert nudge.status == "failed"
    login(client, admin)
    delivery = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    failed = delivery.split('id="failed-heading"')[1]
    assert "Person 0" not in failed and "p0@acme.example.com" not in failed
    assert "Bea Bounce" in failed  # her week-2 email, which everyone got, is named
    assert "Module waiting" not in delivery
    detail = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    undelivered = detail.split("Emails that could not be delivered")[1].split("</table>")[0]
    assert "Bea Bounce" in undelivered and "p0@acme.example.com" not in undelivered
    person_0 = detail.split('aria-label="Roster"')[1].split("Person 0")[1].split("</tr>")[0]
    assert "Email not delivered" not in person_0
    refused = client.post(f"/reminders/cohorts/{cohort.id}/delivery/{handle(nudge)}/retry")
    assert refused.status_code == 404
    db.session.expire_all()
    assert db.session.get(OutboxMessage, nudge.id).status == "failed"


def test_next_planned_sends_never_show_when_someone_is_reminded(
        client, login, admin, make_cohort, make_user, enroll, org, smtp_server):
    cohort = make_cohort(org=org, start=START)
    for i in range(6):  # one of them far away: their nudge waits for their morning
        enroll(make_user(org=org, email=f"q{i}@acme.example.com",
                         timezone="Pacific/Auckland" if i == 0 else None), cohort)
    plan_at(at(2026, 3, 12, 8, 0))
    assert len({r.due_at for r in rows("nudge", week=2)}) == 2
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    upcoming = page.split('id="next-heading"')[1].split("</section>")[0]
    assert "Nudges" not in upcoming.split('class="meta"')[0]
    assert "Module waiting" not in page
    assert "Nothing is planned for the next twelve hours." in upcoming


def test_the_progress_row_is_there_when_no_reminder_was_ever_planned(
        client, login, admin, make_cohort, make_user, enroll, org, smtp_server):
    cohort = make_cohort(org=org, start=START)
    for i in range(6):
        enroll(make_user(org=org, email=f"r{i}@acme.example.com"), cohort)
    plan_at(at(2026, 3, 2, 9, 0))  # week 1 opens: no nudge yet
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    row = page.split('<th scope="row">Nudges and survey emails</th>')[1].split("</tr>")[0]
    assert row.count("Hidden: fewer than 5") == 2  # sent, failed
    assert row.count("Hidden: moves when someone leaves") == 2  # planned, cancelled


def test_withdrawing_someone_with_a_planned_nudge_changes_nothing_on_the_page(
        client, login, admin, make_cohort, make_user, enroll, org, smtp_server):
    cohort = make_cohort(org=org, start=START)
    people = [enroll(make_user(org=org, email=f"w{i}@acme.example.com"), cohort)
              for i in range(12)]
    plan_at(at(2026, 3, 12, 8, 0))  # twelve nudges for week 2 planned
    login(client, admin)

    def counts_table():
        page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
        return page.split('id="counts-heading"')[1].split("</table>")[0]
    before = counts_table()
    for enrollment in people[:3]:  # twelve became nine: "10-19" would become "5-9"
        client.post(f"/cohorts/{cohort.id}/enrollments/{enrollment.id}/withdraw", data={})
    assert [r.status for r in rows("nudge", week=2)].count("cancelled") == 3
    assert counts_table() == before
    assert "Hidden: moves when someone leaves" in before


def test_a_failed_message_is_named_in_its_url_by_a_handle_not_its_id(
        client, login, admin, facilitator, make_cohort, make_user, enroll, org, smtp_server):
    cohort = _cohort_with_mail(make_cohort, make_user, enroll, org, facilitator, smtp_server)
    [bounced] = [r for r in rows("week-opened", week=2) if r.status == "failed"]
    login(client, admin)
    page = client.get(f"/reminders/cohorts/{cohort.id}/delivery").get_data(as_text=True)
    # Ids are a sequence: two failed ids' gap would count the mail written between them.
    assert f"/delivery/{handle(bounced)}/retry" in page
    assert f"/delivery/{bounced.id}/retry" not in page
    assert client.post(f"/reminders/cohorts/{cohort.id}/delivery/{bounced.id}/retry"
                       ).status_code == 404
