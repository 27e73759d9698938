"""gunicorn access logs without secrets: sign-in link tokens in paths are redacted."""
import re

from gunicorn.glogging import Logger

_TOKEN_PATH = re.compile(r"(/signin/link/)[^\s/?\"]+")


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
