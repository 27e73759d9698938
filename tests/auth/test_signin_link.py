import datetime as dt
import re

import time_machine
from sqlalchemy import select

from wellbeing.auth.models import LoginToken
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage


def _request_link(client, email):
    return client.post("/signin/link", data={"link-email": email})


def _link_from_outbox(to_email):
    message = db.session.scalars(select(OutboxMessage).filter_by(to_email=to_email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/signin/link/\S+)", message.body_text).group(1)


def test_known_and_unknown_addresses_get_the_same_answer(client, participant, app):
    stranger = app.test_client()
    known = _request_link(client, participant.email)
    unknown = _request_link(stranger, "stranger@example.com")
    assert known.status_code == unknown.status_code == 303
    assert known.location == unknown.location == "/signin"
    pages = [c.get("/signin").get_data(as_text=True) for c in (client, stranger)]
    assert all("If that address is registered" in page for page in pages)
    # Apart from the address typed and the form tokens, the two pages are the same.
    assert re.sub(r'value="[^"]*"', "", pages[0]) == re.sub(r'value="[^"]*"', "", pages[1])
    # The address typed is shown back in the field, so a typo can be seen and fixed.
    assert f'value="{participant.email}"' in pages[0]
    assert 'value="stranger@example.com"' in pages[1]
    assert db.session.scalar(select(OutboxMessage).filter_by(to_email="stranger@example.com")) \
        is None


def test_reloading_the_page_after_asking_sends_no_second_link(client, participant):
    _request_link(client, participant.email)
    assert "Check your email" in client.get("/signin").get_data(as_text=True)
    again = client.get("/signin").get_data(as_text=True)  # the reload is a plain GET
    assert "Check your email" not in again
    assert len(db.session.scalars(select(OutboxMessage).filter_by(
        to_email=participant.email)).all()) == 1


def test_link_opens_a_confirm_page_and_only_the_button_signs_in(client, participant):
    _request_link(client, participant.email)
    path = _link_from_outbox(participant.email)
    # A mail scanner prefetching the link (GET) must not use it up.
    for _ in range(3):
        page = client.get(path)
        assert page.status_code == 200
        assert b"Continue to Wellbeing" in page.data
        # Whose account it opens, so a link someone else sent cannot pass for your own.
        assert "the account of <strong>pa…@acme.example.com</strong>" in page.get_data(
            as_text=True)
    assert client.get("/home").status_code == 302
    assert client.post(path).status_code == 302
    assert client.get("/home").status_code in (200, 302)
    assert b"Sign out" in client.get("/home", follow_redirects=True).data


def test_an_expired_confirm_page_is_shown_again_and_the_link_still_works(
        client, participant, app, monkeypatch):
    _request_link(client, participant.email)
    path = _link_from_outbox(participant.email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    stale = client.post(path, data={"csrf_token": "from-an-old-page"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 400
    assert "This page had expired. Please press the button again." in page
    assert "the account of <strong>pa…@acme.example.com</strong>" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert b"Sign out" in client.get("/home", follow_redirects=True).data


def test_a_link_works_once(client, participant, app):
    _request_link(client, participant.email)
    path = _link_from_outbox(participant.email)
    assert client.post(path).status_code == 302
    other = app.test_client()
    replay = other.post(path)
    assert replay.status_code == 410
    assert b"already been used" in replay.data
    assert b"Sign out" not in other.get("/home", follow_redirects=True).data


def test_a_link_expires_after_15_minutes(client, participant):
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        _request_link(client, participant.email)
        path = _link_from_outbox(participant.email)
        clock.shift(dt.timedelta(minutes=14, seconds=59))
        assert client.get(path).status_code == 200
        clock.shift(dt.timedelta(seconds=2))
        expired = client.post(path)
    assert expired.status_code == 410
    assert b"has expired" in expired.data
    assert b"Email me a sign-in link" in expired.data  # a way forward, in the same page


def test_a_tampered_token_is_refused_politely(client, participant):
    _request_link(client, participant.email)
    path = _link_from_outbox(participant.email)
    response = client.post(path[:-3] + "xyz")
    assert response.status_code == 410
    assert b"not valid" in response.data


def test_only_a_hash_of_the_token_is_stored(client, participant):
    _request_link(client, participant.email)
    token = _link_from_outbox(participant.email).rsplit("/", 1)[1]
    stored = db.session.scalar(select(LoginToken.token_hash))
    assert token not in stored and len(stored) == 64


def test_bad_email_gets_a_message_with_the_typed_value_kept(client):
    response = _request_link(client, "not-an-email")
    assert response.status_code == 400
    assert b"Enter an email address like name@example.com." in response.data
    assert b'value="not-an-email"' in response.data


def test_sent_sign_in_email_no_longer_holds_the_link(client, participant):
    from wellbeing.notifications.delivery import deliver_due
    _request_link(client, participant.email)
    deliver_due()
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "sent"
    assert "/signin/link/" not in message.body_text


def test_known_and_unknown_addresses_are_answered_after_the_same_floor(client, participant,
                                                                      app, monkeypatch):
    """Making a link takes time an unknown address does not; both answers wait for the
    same floor, so timing does not tell which addresses have accounts. (A lower bound
    only: it holds however slow the machine is.)"""
    import time
    monkeypatch.setitem(app.config, "SIGNIN_ANSWER_SECONDS", 0.12)
    for email in (participant.email, "stranger@example.com"):
        started = time.monotonic()
        assert _request_link(client, email).status_code == 303
        assert time.monotonic() - started >= 0.12
