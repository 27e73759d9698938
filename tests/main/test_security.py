def test_pages_carry_security_headers(client):
    response = client.get("/signin")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite(client, participant, login):
    login(client, participant)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_a_form_without_its_csrf_token_is_refused_with_the_email_kept(client, csrf_on):
    response = client.post("/signin", data={"email": "hr@example.com", "password": "x"})
    assert response.status_code == 400
    assert b"missing its security token" in response.data
    assert b'value="hr@example.com"' in response.data


def test_a_post_without_csrf_elsewhere_gets_a_clear_page(client, app, monkeypatch,
                                                         participant, login):
    login(client, participant)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/signout")
    assert response.status_code == 400
    assert b"security token" in response.data


def test_an_oversized_request_gets_a_friendly_page(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post("/signin", data={"email": "a@example.com", "password": "x" * 5000})
    assert response.status_code == 413
    assert b"too large" in response.data


def test_unknown_pages_are_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_pages_name_a_favicon_that_is_served_from_self(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data and b"<script" not in icon.data
