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


def _rerendered_posts(app, cohort_id):
    """Every POST URL whose view shows its form again on a bad CSRF token, with each
    choice of an any() part, an existing cohort for numbers and "x" for other parts."""
    import itertools

    from werkzeug.routing import AnyConverter, IntegerConverter
    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "POST" not in rule.methods or not getattr(view, "rerender_on_csrf_error", False):
            continue
        options = {name: sorted(c.items) if isinstance(c, AnyConverter)
                   else [cohort_id] if isinstance(c, IntegerConverter) else ["x"]
                   for name, c in rule._converters.items()}
        for combo in itertools.product(*options.values()):
            urls.append(rule.build(dict(zip(options, combo, strict=True)))[1])
    return urls


def test_a_post_without_csrf_never_skips_the_sign_in_or_role_check(
        app, monkeypatch, login, make_user, make_cohort, org):
    from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
    cohort = make_cohort(org=org)
    urls = _rerendered_posts(app, cohort.id)
    assert "/org/settings" in urls and "/surveys/pre" in urls
    clients = {None: app.test_client()}
    for role in (PARTICIPANT, FACILITATOR, ADMIN):
        clients[role] = login(app.test_client(), make_user(role, org=org))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for role, client in clients.items():
        for url in urls:
            response = client.post(url, data={})
            assert response.status_code < 500, (role, url)
            if role is None and not url.startswith("/signin"):  # sign-in forms are public
                assert response.status_code in (302, 401, 404), url
    refused = clients[PARTICIPANT].post("/org/settings", data={"name": "Taken over"})
    assert refused.status_code == 403
    assert b"Organisation settings" not in refused.data


def _address_seen(trusted_proxies: int, instance_dir) -> str:
    from wellbeing import create_app
    app = create_app({"TRUSTED_PROXIES": trusted_proxies, "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_dir / 'proxy.db'}",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    app.add_url_rule("/whoami", "whoami", lambda: __import__("flask").request.remote_addr)
    return app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                                 environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_data(as_text=True)


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(instance_dir):
    assert _address_seen(0, instance_dir) == "10.0.0.2"  # a client cannot fake its address
    assert _address_seen(1, instance_dir) == "203.0.113.7"  # behind one HTTPS proxy
