"""gunicorn access logs without secrets: sign-in link tokens are redacted wherever they
appear, in the path and in every other field (a page loaded from a sign-in link names the
link as the Referer of its stylesheet and icon)."""
import re

from gunicorn.glogging import Logger

_TOKEN_PATH = re.compile(r"(/signin/link/)[^\s/?\"]+")


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
