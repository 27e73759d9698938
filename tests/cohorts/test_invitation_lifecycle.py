"""HR follows each invitation: whether it reached the mail server, or failed and why;
sends a new one (the old link stops working), to one person or to everyone not joined;
cancels one (its link stops working too)."""
import datetime as dt

from sqlalchemy import select

from tests.surveys.helpers import visible_text
from wellbeing.audit.models import AuditEvent
from wellbeing.cohorts.invitations import invite
from wellbeing.cohorts.models import INVITED, WITHDRAWN, Enrollment
from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications.models import FAILED, SENT

from .helpers import link_in, messages


def _invited(make_user, enroll, cohort, org, name):
    enrollment = enroll(make_user(org=org, name=name), cohort, status=INVITED)
    invite(enrollment, cohort, enrollment.user)
    db.session.commit()
    return enrollment


def _row(page: str, name: str) -> str:
    roster = page.split('id="roster-heading"', 1)[1]
    return visible_text(roster.split(name, 1)[1].split("</tr>")[0])


def test_the_roster_says_whether_each_invitation_was_delivered(
        client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    sent = _invited(make_user, enroll, cohort, org, "Sam Sent")
    failed = _invited(make_user, enroll, cohort, org, "Fay Failed")
    _invited(make_user, enroll, cohort, org, "Wes Waiting")
    for enrollment, status in ((sent, SENT), (failed, FAILED)):
        [message] = messages("invitation", user_id=enrollment.user_id)
        message.status = status
        message.sent_at = now_utc() if status == SENT else None
        message.last_error = "550 mailbox unknown" if status == FAILED else None
    db.session.commit()
    login(client, admin)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Invitation delivered to the mail server" in _row(page, "Sam Sent")
    assert "could not be delivered" in _row(page, "Fay Failed")
    assert "550 mailbox unknown" in _row(page, "Fay Failed")
    assert "waiting to be sent" in _row(page, "Wes Waiting")


def test_sending_again_replaces_the_link_and_the_old_one_stops_working(
        app, client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    enrollment = _invited(make_user, enroll, cohort, org, "Ana Again")
    old_link = link_in(messages("invitation", user_id=enrollment.user_id)[0])
    login(client, admin)
    response = client.post(f"/cohorts/{cohort.id}/enrollments/{enrollment.id}/resend",
                           follow_redirects=True)
    assert "The link sent before no longer works" in response.get_data(as_text=True)
    first, second = messages("invitation", user_id=enrollment.user_id)
    new_link = link_in(second)
    assert new_link != old_link and second.enrollment_id == enrollment.id
    person = app.test_client()
    assert person.post(old_link).status_code == 410
    assert person.post(new_link).headers["Location"] == f"/welcome/{cohort.id}"
    assert "enrollment.invitation_resent" in db.session.scalars(
        select(AuditEvent.action)).all()


def test_everyone_not_joined_gets_a_new_invitation_at_once(
        client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    waiting = [_invited(make_user, enroll, cohort, org, f"Waiting {n}") for n in range(3)]
    enroll(make_user(org=org, name="Jo Joined"), cohort)  # active: no new invitation
    login(client, admin)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "3 people have not joined yet." in visible_text(page)
    done = client.post(f"/cohorts/{cohort.id}/invitations/resend", follow_redirects=True)
    assert "3 new invitations are on the way" in done.get_data(as_text=True)
    for enrollment in waiting:
        assert len(messages("invitation", user_id=enrollment.user_id)) == 2
    assert len(messages("invitation")) == 6


def test_cancelling_an_invitation_stops_its_link(
        app, client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    enrollment = _invited(make_user, enroll, cohort, org, "Cy Cancelled")
    link = link_in(messages("invitation", user_id=enrollment.user_id)[0])
    login(client, admin)
    url = f"/cohorts/{cohort.id}/enrollments/{enrollment.id}/withdraw"
    assert "Cancel Cy Cancelled" in visible_text(client.get(url).get_data(as_text=True))
    client.post(url)
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == WITHDRAWN
    assert app.test_client().post(link).status_code == 410
