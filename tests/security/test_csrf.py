"""CSRF with the production profile's settings: a form posted without its token, or with
a wrong one, changes nothing and gets a clear page (400) with a message, never a stack
trace; the real flows still work over HTTPS, where Flask-WTF also checks the Referer."""
import itertools

import pytest
from sqlalchemy import text
from werkzeug.routing import AnyConverter

from tests.security.production import (
    SITE,
    BrowserLikeClient,
    build_production_app,
    form_token,
    sign_in,
)
from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.extensions import db

REFUSAL = ("security token", "had expired")


@pytest.fixture(scope="module")
def production(app):
    production_app, restore = build_production_app(app)
    yield production_app
    restore()


def test_the_production_profile_is_what_is_tested(production):
    assert production.config["PROFILE"] == "production"
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config.get("WTF_CSRF_ENABLED", True) is True


def _fingerprint() -> dict:
    """Every row of every table: a refused form must leave all of them as they were."""
    db.session.expire_all()
    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            found = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            rows[table.name] = sorted(map(repr, found))
    return rows


def _post_urls(app, ids):
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        options = {name: sorted(c.items) if isinstance(c, AnyConverter)
                   else [ids.get(name, ids["cohort_id"])]
                   for name, c in rule._converters.items()}
        for combo in itertools.product(*options.values()):
            urls.append((rule.endpoint, rule.build(dict(zip(options, combo,
                                                            strict=True)))[1]))
    return urls


def _world(make_user, make_cohort, enroll, org):
    from wellbeing.course.models import JournalEntry, PracticeLog  # noqa: F401
    people = {role: make_user(role, org=org) for role in (ADMIN, FACILITATOR, PARTICIPANT)}
    cohort = make_cohort(org=org, facilitators=[people[FACILITATOR]])
    enrollment = enroll(people[PARTICIPANT], cohort)
    return people, {"cohort_id": cohort.id, "enrollment_id": enrollment.id,
                    "user_id": people[PARTICIPANT].id, "token": "x", "slug": "soothing-touch",
                    "week": 1, "wave": "pre"}


def test_no_form_in_the_app_acts_without_its_token(production, make_user, make_cohort,
                                                   enroll, org):
    people, ids = _world(make_user, make_cohort, enroll, org)
    browsers = {role: sign_in(production, user) for role, user in people.items()}
    browsers[None] = BrowserLikeClient(production)
    urls = _post_urls(production, ids)
    assert len(urls) > 30  # every POST route of the app, found from its URL map
    before = _fingerprint()
    for n, ((role, browser), (endpoint, url), token) in enumerate(itertools.product(
            browsers.items(), urls, (None, "a-token-from-somewhere-else"))):
        if endpoint == "reminders.unsubscribe":
            continue  # RFC 8058 one-click: the signed token in the URL is the authority
        browser.get("/signin" if role is None else "/home")  # a page of ours as Referer
        data = {"name": "Taken over", "confirm": "y", "email": f"evil{n}@example.com",
                "link-email": f"evil{n}@example.com"}
        if token:
            data["csrf_token"] = token
        response = browser.post(url, data=data)
        body = response.get_data(as_text=True)
        where = (role, url, token, response.status_code)
        # Refused (or the page says why it cannot be done now: 404, 409, 410), never done.
        assert response.status_code == 302 or 400 <= response.status_code < 500, where
        assert "Traceback" not in body and "CSRFError" not in body, where
        if response.status_code == 302:  # asked to sign in (again), nothing done
            assert response.location.startswith("/signin"), where
        if response.status_code == 400:
            assert any(words in body for words in REFUSAL), (where, body[:600])
    assert _fingerprint() == before


def test_a_refused_form_says_why_and_the_same_form_with_its_token_works(production, admin):
    browser = sign_in(production, admin)
    page = browser.get("/org/settings").get_data(as_text=True)
    fields = {"name": "Acme Care and Support", "min_group_size": "5",
              "timezone": "Europe/London", "support_text": "Call 0800 123 4567"}
    for token in (None, "wrong", form_token(page) + "x"):
        data = dict(fields, **({"csrf_token": token} if token else {}))
        refused = browser.post("/org/settings", data=data)
        assert refused.status_code == 400
        body = refused.get_data(as_text=True)
        assert "security token" in body and "Acme Care and Support" in body  # typed, kept
    assert db.session.get(type(admin.org), admin.org_id).name == "Acme Care"
    page = browser.get("/org/settings").get_data(as_text=True)
    saved = browser.post("/org/settings", data=dict(fields, csrf_token=form_token(page)))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    db.session.expire_all()
    assert db.session.get(type(admin.org), admin.org_id).name == "Acme Care and Support"


def test_a_form_posted_from_another_site_is_refused_even_with_a_token(production, admin):
    """Over HTTPS the Referer must be our own site too (a stolen token from a page of ours
    is not enough for a form hosted elsewhere)."""
    browser = sign_in(production, admin)
    token = form_token(browser.get("/org/settings").get_data(as_text=True))
    response = browser.post("/org/settings", data={"csrf_token": token, "name": "Evil"},
                            headers={"Referer": "https://evil.example/form"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(admin.org), admin.org_id).name == "Acme Care"


def test_signing_out_without_the_token_keeps_the_session(production, participant):
    browser = sign_in(production, participant)
    assert browser.post("/signout").status_code == 400
    assert browser.get("/course/").status_code == 200


def test_an_emailed_link_signs_in_over_https_in_production(production, participant):
    """The link's page sends no full Referer (its URL holds the token), and Flask-WTF
    refuses a form over HTTPS whose Referer is missing: the button must still work."""
    browser = sign_in(production, participant)  # asserts the 302
    assert browser.get("/course/").status_code == 200
    assert SITE.startswith("https://")


@pytest.fixture
def https_server(production, tmp_path):
    """The production app over real TLS (a self-signed certificate for 127.0.0.1)."""
    import subprocess
    import threading

    from werkzeug.serving import make_server

    from tests.services import _free_port
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = _free_port()
    server = make_server("127.0.0.1", port, production, threaded=True,
                         ssl_context=(str(cert), str(key)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{port}"
    server.shutdown()


@pytest.mark.browser
def test_chromium_signs_in_with_a_link_and_signs_out_over_https(browser, https_server,
                                                                participant):
    """The real browser decides what Referer it sends: from the link's page (whose URL
    holds the token) it must still be enough for the button's form over HTTPS."""
    from wellbeing.auth.service import issue_link
    token = issue_link(participant)
    db.session.commit()
    context = browser.new_context(base_url=https_server, ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/signin/link/{token}")
        with page.expect_navigation():
            page.get_by_role("button", name="Continue to Wellbeing").click()
        assert page.get_by_role("button", name="Sign out").is_visible(), page.content()[:3000]
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        assert page.get_by_text("You are signed out.").is_visible()
    finally:
        context.close()
