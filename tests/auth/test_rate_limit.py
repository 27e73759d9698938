import os
import sqlite3
from pathlib import Path

import redis

from wellbeing.auth.models import ADMIN


def test_an_account_is_locked_for_a_while_after_five_wrong_passwords(client, make_user):
    make_user(ADMIN, email="hr@example.com", password="correct horse battery")
    for _ in range(5):
        assert client.post("/signin", data={"email": "hr@example.com",
                                            "password": "wrong"}).status_code == 400
    blocked = client.post("/signin", data={"email": "hr@example.com",
                                           "password": "correct horse battery"})
    assert blocked.status_code == 429
    assert b"Too many sign-in attempts" in blocked.data
    assert b'value="hr@example.com"' in blocked.data  # shown in the page, input kept
    # Wrong guesses by someone else must not lock the owner out: a link still works.
    assert b"or sign in now with an emailed link below" in blocked.data
    assert client.post("/signin/link", data={"link-email": "hr@example.com"}
                       ).status_code == 303


def test_successful_sign_ins_do_not_count_against_the_account(client, make_user):
    make_user(ADMIN, email="hr@example.com", password="correct horse battery")
    for _ in range(7):
        ok = client.post("/signin", data={"email": "hr@example.com",
                                          "password": "correct horse battery"})
        assert ok.status_code == 302
        client.post("/signout")


def test_one_address_cannot_spray_many_accounts(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_RATE_PER_ADDRESS", "10/minute")
    codes = [client.post("/signin", data={"email": f"user{n}@example.com",
                                          "password": "x"}).status_code for n in range(12)]
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]


def test_link_requests_per_address_are_limited_without_revealing_accounts(client, participant):
    codes = [client.post("/signin/link", data={"link-email": participant.email}).status_code
             for _ in range(4)]
    assert codes == [303, 303, 303, 429]


def test_sign_in_counts_are_kept_where_every_web_process_sees_them(client, app):
    """Redis in tier 2 (and production); the shared SQLite file without Redis. Never one
    process's memory, where each gunicorn worker would count on its own."""
    client.post("/signin", data={"email": "hr@example.com", "password": "wrong"})
    if app.config["REDIS_URL"]:
        keys = redis.Redis.from_url(app.config["REDIS_URL"]).keys("LIMITS*")
        assert any(b"hr@example.com" in key for key in keys)
    else:
        path = Path(os.environ["WELLBEING_STATE"]) / "ratelimits.sqlite"
        with sqlite3.connect(path) as file:
            counts = [count for (count,) in file.execute("SELECT count FROM counters")]
        assert counts == [1, 1]  # one for the address, one for the account
        for written in path.parent.glob("ratelimits.sqlite*"):  # the file and any journal
            assert b"hr@example.com" not in written.read_bytes()  # keys are digests
