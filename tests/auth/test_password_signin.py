from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT


def test_admin_signs_in_with_password_and_lands_home(client, make_user):
    make_user(ADMIN, email="hr@example.com", password="correct horse battery")
    response = client.post("/signin", data={"email": "HR@example.com ",
                                            "password": "correct horse battery"})
    assert response.status_code == 302
    home = client.get("/home", follow_redirects=True)
    assert b"Sign out" in home.data


def test_wrong_password_says_so_in_the_page_and_keeps_the_email(client, make_user):
    make_user(FACILITATOR, email="fac@example.com", password="correct horse battery")
    response = client.post("/signin", data={"email": "fac@example.com", "password": "nope"})
    assert response.status_code == 400
    assert b"That email and password do not match" in response.data
    assert b'value="fac@example.com"' in response.data


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    response = client.post("/signin", data={"email": "nobody@example.com", "password": "x"})
    assert response.status_code == 400
    assert b"That email and password do not match" in response.data


def test_participants_have_no_password_sign_in(client, make_user):
    make_user(PARTICIPANT, email="p@example.com", password="correct horse battery")
    response = client.post("/signin", data={"email": "p@example.com",
                                            "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302  # still signed out


def test_missing_fields_are_named(client):
    response = client.post("/signin", data={"email": "", "password": ""})
    assert b"Enter your work email address." in response.data
    assert b"Enter your password." in response.data


def test_password_is_stored_as_argon2_hash(make_user):
    user = make_user(ADMIN, password="correct horse battery")
    assert user.password_hash.startswith("$argon2")
    assert "correct horse" not in user.password_hash


def test_sign_out_needs_post_and_ends_the_session(client, make_user, login):
    login(client, make_user(ADMIN))
    assert client.get("/signout").status_code == 405
    client.post("/signout")
    assert client.get("/home").status_code == 302


def test_next_parameter_only_redirects_within_the_site(client, make_user):
    make_user(ADMIN, email="hr@example.com", password="correct horse battery")
    response = client.post("/signin", data={"email": "hr@example.com",
                                            "password": "correct horse battery",
                                            "next": "https://evil.example.net/"})
    assert response.headers["Location"] == "/home"


def test_signing_out_ends_the_session_on_the_server(client, app, make_user, login):
    user = make_user(ADMIN)
    login(client, user)
    copied = client.get_cookie("session").value  # e.g. a cookie lifted from this browser
    client.post("/signout")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
