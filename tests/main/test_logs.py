from wellbeing.gunicorn_logger import redact


def test_sign_in_tokens_are_redacted_from_access_logs():
    line = 'GET /signin/link/x91JFXDf29GgZYAUEEQZ3PG HTTP/1.1'
    assert redact(line) == 'GET /signin/link/[redacted] HTTP/1.1'
    assert redact("POST /signin/link HTTP/1.1") == "POST /signin/link HTTP/1.1"
