"""One-click unsubscribe tokens (RFC 8058). The token names a person and a kind of mail,
encrypted and authenticated (Fernet under a key derived from SECRET_KEY): changing one
character makes it invalid, and reading it reveals neither the person nor the kind."""
import base64
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from .kinds import CHOICE_BY_FIELD


class BadToken(Exception):
    """The link is not one we made (altered, truncated or from another installation)."""


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"wellbeing-unsubscribe",
               info=b"one-click unsubscribe v1").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def make_token(user_id: int, field: str) -> str:
    payload = json.dumps([user_id, field], separators=(",", ":")).encode()
    return _fernet(current_app.config["SECRET_KEY"]).encrypt(payload).decode()


def read_token(token: str) -> tuple[int, str]:
    try:
        user_id, field = json.loads(_fernet(current_app.config["SECRET_KEY"])
                                    .decrypt(token.encode()))
    except (InvalidToken, ValueError, TypeError):
        raise BadToken("This unsubscribe link is not valid. It may have been copied "
                       "incompletely; you can change what we send on your preferences "
                       "page instead.") from None
    if not isinstance(user_id, int) or field not in CHOICE_BY_FIELD:
        raise BadToken("This unsubscribe link is not valid.")
    return user_id, field


def unsubscribe_url(user_id: int, field: str) -> str:
    return f"{current_app.config['BASE_URL']}/reminders/unsubscribe/{make_token(user_id, field)}"
