"""The demo mailbox shows every email sent, sign-in links included (an admin's too), so it
answers only the machine it runs on, and only in the embedded profile."""
from email.message import EmailMessage

import pytest

from wellbeing.config import load

LINK = "http://127.0.0.1:5000/signin/link/the-admins-secret-token"


def _app(mail_folder, **config):
    from wellbeing import create_app
    app = create_app({"TESTING": True, "SHOW_DEV_MAILBOX": True, "RATELIMIT_STORAGE_URI":
                      "memory://", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{mail_folder / 'mailbox.db'}", "MAIL_FOLDER": str(mail_folder),
                      **config})
    message = EmailMessage()
    message["To"], message["Subject"] = "hr@example.com", "Your sign-in link"
    message.set_content(f"Sign in: {LINK}")
    (mail_folder / "0001.eml").write_bytes(bytes(message))
    return app


def _read(app, address: str, **headers):
    response = app.test_client().get("/dev/mailbox", environ_base={"REMOTE_ADDR": address},
                                     headers=headers)
    shown = LINK in response.get_data(as_text=True)
    assert shown == (response.status_code == 200)
    return response.status_code


def test_the_mailbox_answers_only_this_machine_whatever_the_host_header(tmp_path):
    app = _app(tmp_path)
    assert _read(app, "127.0.0.1") == 200 and _read(app, "::1") == 200
    for address in ("10.0.0.5", "192.168.1.20", "203.0.113.9", "::ffff:10.0.0.5",
                    "2001:db8::1"):
        assert _read(app, address) == 404, address
    assert _read(app, "10.0.0.5", Host="127.0.0.1") == 404
    assert _read(app, "10.0.0.5", Host="localhost:5000") == 404


def test_a_request_forwarded_by_an_untrusted_proxy_is_not_from_this_machine(tmp_path):
    """A proxy on this machine connects from 127.0.0.1 for everyone it forwards."""
    app = _app(tmp_path)
    assert _read(app, "127.0.0.1", **{"X-Forwarded-For": "203.0.113.9"}) == 404
    assert _read(app, "127.0.0.1", **{"X-Forwarded-For": "127.0.0.1"}) == 404
    assert _read(app, "127.0.0.1", Forwarded="for=127.0.0.1") == 404


def test_behind_a_trusted_proxy_the_clients_own_address_counts(tmp_path):
    app = _app(tmp_path, TRUSTED_PROXIES=1)
    assert _read(app, "127.0.0.1", **{"X-Forwarded-For": "203.0.113.9"}) == 404
    assert _read(app, "127.0.0.1", **{"X-Forwarded-For": "127.0.0.1"}) == 200


def test_the_mailbox_is_off_outside_the_embedded_profile(tmp_path):
    assert _read(_app(tmp_path, SHOW_DEV_MAILBOX=False), "127.0.0.1") == 404


@pytest.mark.parametrize("profile, smtp, shown", [
    ("embedded", None, True), ("embedded", "mail.example.com", False),
    ("test", None, False), ("production", None, False),
])
def test_only_the_embedded_profile_without_smtp_has_a_mailbox(monkeypatch, profile, smtp,
                                                               shown):
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("PAIRING_KEY", "p" * 32)
    if smtp:
        monkeypatch.setenv("SMTP_HOST", smtp)
    else:
        monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setenv("WELLBEING_ENV", profile)
    assert load()["SHOW_DEV_MAILBOX"] is shown


def test_pages_link_to_the_mailbox_only_where_it_answers(tmp_path):
    app = _app(tmp_path)
    here = app.test_client().get("/signin", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    away = app.test_client().get("/signin", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert "demo mailbox" in here.get_data(as_text=True)
    assert "demo mailbox" not in away.get_data(as_text=True)
