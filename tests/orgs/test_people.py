"""HR runs its own staff from the People page: invites facilitators and admins, changes
roles, deactivates and reactivates; the organisation always keeps an active admin."""
from sqlalchemy import select

from tests.cohorts.helpers import link_in, messages
from tests.surveys.helpers import visible_text as visible
from wellbeing.audit.models import AuditEvent
from wellbeing.auth.models import ADMIN, FACILITATOR, User
from wellbeing.extensions import db


def _invite(client, **fields):
    data = {"name": "Fay Facilitator", "email": "fay@acme.example.com", "role": FACILITATOR}
    return client.post("/org/people", data=dict(data, **fields))


def _actions(org_id):
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.org_id == org_id)
                              .order_by(AuditEvent.id)).all()


def test_an_invited_facilitator_accepts_and_is_then_offered_for_cohorts(
        app, client, login, admin, org):
    login(client, admin)
    response = _invite(client)
    assert response.status_code == 302
    people = client.get("/org/people").get_data(as_text=True)
    assert "Fay Facilitator" in people and "Invited, not accepted yet" in people
    # Not offered as a facilitator before accepting.
    assert "Fay Facilitator" not in client.get("/cohorts/new").get_data(as_text=True)
    [mail] = messages("staff-invitation", to_email="fay@acme.example.com")
    assert admin.org.name in mail.subject and "facilitator" in mail.body_text
    fay_browser = app.test_client()
    accepted = fay_browser.post(link_in(mail))
    assert accepted.headers["Location"] == "/password?welcome=1"
    welcome = fay_browser.get("/password?welcome=1").get_data(as_text=True)
    assert "Welcome to Wellbeing, Fay Facilitator" in welcome and "skip this" in welcome
    short = fay_browser.post("/password", data={"password": "short", "repeat": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    saved = fay_browser.post("/password", data={"password": "kind words at work",
                                                "repeat": "kind words at work"})
    assert saved.status_code == 302
    fay_browser.post("/signout")
    signed_in = fay_browser.post("/signin", data={"email": "fay@acme.example.com",
                                                  "password": "kind words at work"})
    assert signed_in.status_code == 302
    assert "Fay Facilitator" in client.get("/cohorts/new").get_data(as_text=True)
    assert "Active" in client.get("/org/people").get_data(as_text=True)
    assert "staff.invited" in _actions(admin.org_id)


def test_the_only_active_admin_can_be_neither_demoted_nor_deactivated(
        client, login, admin, make_user, org):
    login(client, admin)
    for action in ("facilitator", "deactivate"):
        refused = client.post(f"/org/people/{admin.id}/{action}")
        assert refused.status_code == 409
        assert "only active org admin" in refused.get_data(as_text=True)
    assert db.session.get(User, admin.id).role == ADMIN
    second = make_user(ADMIN, org=org, name="Second Admin")
    assert client.post(f"/org/people/{second.id}/facilitator").status_code == 302
    assert client.post(f"/org/people/{admin.id}/facilitator").status_code == 409
    assert client.post(f"/org/people/{second.id}/admin").status_code == 302
    assert client.post(f"/org/people/{admin.id}/facilitator").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == FACILITATOR
    assert _actions(org.id).count("staff.role_changed") == 3


def test_deactivating_ends_their_sessions_and_reactivating_lets_them_back(
        app, client, login, admin, make_user, org):
    fay = make_user(FACILITATOR, org=org)
    fay_browser = login(app.test_client(), fay)
    assert fay_browser.get("/cohorts/").status_code == 200
    login(client, admin)
    assert client.post(f"/org/people/{fay.id}/deactivate").status_code == 302
    assert fay_browser.get("/cohorts/").status_code == 302  # sent to sign in
    page = client.get("/org/people").get_data(as_text=True)
    assert "Deactivated" in page and "Reactivate" in page
    assert client.post(f"/org/people/{fay.id}/reactivate").status_code == 302
    assert db.session.get(User, fay.id).is_active_account
    assert {"staff.deactivated", "staff.reactivated"} <= set(_actions(org.id))


def test_an_address_in_use_here_is_refused_and_one_elsewhere_is_a_new_account(
        client, login, admin, make_user, make_org, participant, org):
    boss = make_user(ADMIN, org=make_org(), email="boss@other.example.com")
    login(client, admin)
    mine = _invite(client, email=participant.email, name="Pat Again")
    page = visible(mine.get_data(as_text=True))
    assert mine.status_code == 400 and "a participant's account" in page
    assert 'value="Pat Again"' in mine.get_data(as_text=True)  # what was typed is kept
    bad = _invite(client, email="not-an-address", role="owner")
    assert bad.status_code == 400
    assert messages("staff-invitation") == []
    # Another organisation's account is theirs: here it is simply someone new, and HR is
    # told nothing about it.
    elsewhere = _invite(client, email="boss@other.example.com", name="Bo Boss")
    assert elsewhere.status_code == 302
    [mail] = messages("staff-invitation", to_email="boss@other.example.com")
    assert mail.org_id == admin.org_id and mail.user_id != boss.id


def test_facilitators_and_other_orgs_cannot_manage_people(
        client, login, make_user, make_org, org, admin):
    facilitator = make_user(FACILITATOR, org=org)
    login(client, facilitator)
    assert client.get("/org/people").status_code == 403
    assert client.post(f"/org/people/{admin.id}/deactivate").status_code == 403
    client.post("/signout")
    login(client, make_user(ADMIN, org=make_org()))
    assert client.post(f"/org/people/{facilitator.id}/deactivate").status_code == 404
    assert "People" in client.get("/org/people").get_data(as_text=True)
