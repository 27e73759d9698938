import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config

from wellbeing.web.gunicorn_logger import RedactingLogger, redact

TOKEN = "x91JFXDf29GgZYAUEEQZ3PG"


def test_sign_in_tokens_are_redacted_from_access_logs():
    line = f'GET /signin/link/{TOKEN} HTTP/1.1'
    assert redact(line) == 'GET /signin/link/[redacted] HTTP/1.1'
    assert redact("POST /signin/link HTTP/1.1") == "POST /signin/link HTTP/1.1"


def test_a_token_in_the_referer_of_a_stylesheet_is_redacted_in_every_field():
    """Opening a sign-in link loads the stylesheet with the link as Referer."""
    referer = f"https://wellbeing.example.com/signin/link/{TOKEN}"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/static/css/app.css",
               "PATH_INFO": "/static/css/app.css", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": referer, "REMOTE_ADDR": "10.0.0.2"}
    request = SimpleNamespace(headers=[("REFERER", referer)])
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    logger = RedactingLogger(Config())
    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=3))
    assert atoms["f"] == "https://wellbeing.example.com/signin/link/[redacted]"
    assert not [key for key, value in atoms.items() if TOKEN in str(value)]
    line = logger.cfg.access_log_format % atoms
    assert "/signin/link/[redacted]" in line and TOKEN not in line


def test_sign_in_link_pages_send_their_origin_only_as_referer(client):
    assert client.get(f"/signin/link/{TOKEN}").headers["Referrer-Policy"] == "strict-origin"
    assert client.get("/signin").headers["Referrer-Policy"] == "same-origin"
