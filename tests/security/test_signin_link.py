"""Attacks on the emailed sign-in link: replaying it (from the same browser after signing
out, or from another), using it after it expired (time moved with time-machine), and
using it from a browser other than the one that asked for it, which is allowed by design
(people ask on a laptop and open the mail on their phone) and signs in only that
browser."""
import datetime as dt

import time_machine

from wellbeing.auth.service import issue_link
from wellbeing.extensions import db

NOON = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def _fresh(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    return client


def _link(user, **kwargs) -> str:
    token = issue_link(user, **kwargs)
    db.session.commit()
    return f"/signin/link/{token}"


def _signed_in(client) -> bool:
    return b"Sign out" in client.get("/home", follow_redirects=True).data


def test_a_used_link_is_refused_everywhere_and_signs_nobody_in(app, participant):
    path = _link(participant)
    first = _fresh(app)
    assert first.post(path).status_code == 302 and _signed_in(first)
    assert first.post("/signout").status_code == 302 and not _signed_in(first)
    for client in (first, _fresh(app)):  # the same browser after signing out, another one
        page = client.get(path)
        assert page.status_code == 410 and b"already been used" in page.data
        replay = client.post(path)
        assert replay.status_code == 410 and b"already been used" in replay.data
        assert not _signed_in(client)


def test_opening_the_confirm_page_many_times_does_not_use_the_link(app, participant):
    """Mail scanners fetch links; only the button (a POST) uses it."""
    path = _link(participant)
    scanner = _fresh(app)
    for _ in range(3):
        assert scanner.get(path).status_code == 200
    assert not _signed_in(scanner)
    person = _fresh(app)
    assert person.post(path).status_code == 302 and _signed_in(person)


def test_a_link_expires_after_its_minutes_to_the_second(app, participant):
    with time_machine.travel(NOON, tick=False) as clock:
        early, late = _link(participant), _link(participant)
        clock.shift(dt.timedelta(minutes=14, seconds=59))
        on_time = _fresh(app)
        assert on_time.post(early).status_code == 302 and _signed_in(on_time)
        clock.shift(dt.timedelta(seconds=1))  # 15:00 exactly: expired
        too_late = _fresh(app)
        refused = too_late.post(late)
        assert refused.status_code == 410 and b"has expired" in refused.data
        assert b"Email me a sign-in link" in refused.data  # the way forward, in the page
        assert not _signed_in(too_late)


def test_an_invitation_lasts_a_week_and_not_a_second_more(app, participant):
    with time_machine.travel(NOON, tick=False) as clock:
        day_six, day_eight = (_link(participant, kind="invitation", minutes=7 * 24 * 60)
                              for _ in range(2))
        clock.shift(dt.timedelta(days=6, hours=23))
        assert _fresh(app).post(day_six).status_code == 302
        clock.shift(dt.timedelta(hours=1, seconds=1))
        refused = _fresh(app).post(day_eight)
        assert refused.status_code == 410 and b"has expired" in refused.data


def test_a_link_asked_for_in_one_browser_works_in_another_and_only_there(app, participant):
    asker, opener = _fresh(app), _fresh(app)
    asker.post("/signin/link", data={"link-email": participant.email})
    from sqlalchemy import select

    from wellbeing.auth.models import LoginToken
    assert db.session.scalar(select(LoginToken).filter_by(user_id=participant.id))
    path = _link(participant)  # the link from the email, opened on the phone
    assert opener.post(path).status_code == 302
    assert _signed_in(opener)
    assert not _signed_in(asker)  # the laptop that asked is not signed in by it


def test_signing_out_ends_the_session_a_link_opened_even_if_its_cookie_was_copied(
        app, participant):
    path = _link(participant)
    phone = _fresh(app)
    assert phone.post(path).status_code == 302
    stolen = _fresh(app)
    stolen.set_cookie("session", phone.get_cookie("session").value)
    assert _signed_in(stolen)  # a copied cookie works while the session lives...
    phone.post("/signout")
    assert not _signed_in(stolen)  # ...and not after its owner signs out
