"""An address may have an account in several organisations: each organisation's people
are its own. Signing in says which organisation a link opens, or asks."""
from sqlalchemy import select

from tests.cohorts.helpers import link_in
from wellbeing.auth.models import ADMIN, FACILITATOR
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

SHARED = "sam@consultancy.example.com"


def test_a_link_request_sends_one_link_per_organisation_each_naming_it(
        app, client, make_user, make_org):
    north, south = make_org(name="North Ltd"), make_org(name="South plc")
    at_north = make_user(FACILITATOR, org=north, email=SHARED)
    at_south = make_user(ADMIN, org=south, email=SHARED.upper())
    client.post("/signin/link", data={"link-email": SHARED})
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {m.user_id for m in mails} == {at_north.id, at_south.id}
    for mail, org in ((m, m.user_id == at_north.id and north or south) for m in mails):
        assert org.name in mail.subject and org.name in mail.body_text
    north_mail = next(m for m in mails if m.user_id == at_north.id)
    browser = app.test_client()
    browser.post(link_in(north_mail))
    assert "North Ltd" in browser.get("/cohorts/").get_data(as_text=True)


def test_the_same_password_in_two_organisations_asks_which(client, make_user, make_org):
    north, south = make_org(name="North Ltd"), make_org(name="South plc")
    make_user(FACILITATOR, org=north, email=SHARED, password="one password for all")
    at_south = make_user(ADMIN, org=south, email=SHARED, password="one password for all")
    response = client.post("/signin", data={"email": SHARED,
                                            "password": "one password for all"})
    assert response.headers["Location"] == "/signin/choose"
    chooser = client.get("/signin/choose").get_data(as_text=True)
    assert "North Ltd" in chooser and "South plc" in chooser
    chosen = client.post("/signin/choose", data={"account": str(at_south.id)})
    assert chosen.status_code == 302
    assert "South plc" in client.get("/org/people").get_data(as_text=True)


def test_the_chooser_offers_only_accounts_the_password_opened(client, make_user, make_org):
    north, south = make_org(name="North Ltd"), make_org(name="South plc")
    at_north = make_user(FACILITATOR, org=north, email=SHARED, password="north password 1")
    at_south = make_user(ADMIN, org=south, email=SHARED, password="south password 2")
    response = client.post("/signin", data={"email": SHARED, "password": "north password 1"})
    assert response.status_code == 302 and response.headers["Location"] != "/signin/choose"
    client.post("/signout")
    assert client.get("/signin/choose").status_code == 302  # nothing waiting to choose
    forged = client.post("/signin/choose", data={"account": str(at_south.id)})
    assert forged.status_code == 302 and forged.headers["Location"] == "/signin"
    assert client.get("/org/people").status_code in (302, 403)
    assert at_north.org_id != at_south.org_id
