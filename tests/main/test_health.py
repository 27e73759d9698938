from wellbeing import create_app


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    # From this machine it carries the operator's figures as well (tests/main/test_metrics).
    assert body.pop("figures")["database_up"] is True
    assert body == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_from_elsewhere_says_only_whether_it_is_up(client):
    response = client.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.get_json() == {"status": "ok", "database": "ok", "broker": "ok"}


def _app_with(tmp_path, database_url):
    options = {"connect_args": {"connect_timeout": 2}} if "postgresql" in database_url else {}
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "SQLALCHEMY_ENGINE_OPTIONS": options,
                       "REDIS_URL": "redis://127.0.0.1:1/0",  # a closed loopback port
                       # The limiter is one object per process; keep it on working storage.
                       "RATELIMIT_STORAGE_URI": "memory://", "TESTING": True})


def test_healthz_is_503_when_database_and_broker_are_down(tmp_path):
    app = _app_with(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"] != "ok" and body["broker"] != "ok"


def test_healthz_names_which_part_is_down(tmp_path):
    app = _app_with(tmp_path, f"sqlite:///{tmp_path / 'up.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "ok"
    assert response.get_json()["broker"] != "ok"
