"""Sign-in links for mail written in bulk: one single-use token per message, stored (as a
hash) only for the messages that were actually written."""
import datetime as dt
import secrets

from flask import current_app

from ..auth.models import LoginToken
from ..auth.service import token_hash
from ..core.bulk import insert_rows

LINK_MINUTES = 7 * 24 * 60


class Links:
    def __init__(self, now: dt.datetime):
        self.now = now
        self.root = f"{current_app.config['BASE_URL']}/signin/link/"
        self.tokens: dict[str, dict] = {}

    def make(self, key: str, user_id: int, next_path: str) -> str:
        """A link for the message with dedupe key `key`."""
        token = secrets.token_urlsafe(32)
        self.tokens[key] = {"user_id": user_id, "token_hash": token_hash(token),
                            "next_path": next_path,
                            "expires_at": self.now + dt.timedelta(minutes=LINK_MINUTES),
                            "created_at": self.now}
        return self.root + token

    def store(self, written: list[dict]) -> None:
        """Keep the tokens of the messages queue_many wrote; the rest never existed."""
        insert_rows(LoginToken.__table__, [self.tokens[row["dedupe_key"]] for row in written])
