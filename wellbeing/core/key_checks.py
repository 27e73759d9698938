"""Which secret the data was written with, kept as a check value, never the secret.

A secret that derives stored values (PAIRING_KEY: who answered, the sealed answers) must
stay the same for the life of the data: started with another one, the application would
write new rows that never pair with the old ones, without a word. The check value is an
HMAC of a fixed text under the secret: it tells whether a secret is the one, and nothing
about it (a guess can be tried against it, as against any sealed row; the secrets are 32
random bytes)."""
import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .insert_once import insert_once

RECORDED, MATCHES, DIFFERS = "recorded", "matches", "differs"


class KeyCheck(db.Model):
    __tablename__ = "key_checks"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    check_value: Mapped[str] = mapped_column(sa.String(64))


def check_value(name: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"wellbeing key check {name} v1".encode(),
                    hashlib.sha256).hexdigest()


def recorded(name: str) -> str | None:
    return db.session.scalar(sa.select(KeyCheck.check_value).where(KeyCheck.name == name))


def compare(name: str, secret: str) -> str | None:
    """MATCHES, DIFFERS, or None when no check value is kept yet."""
    kept = recorded(name)
    if kept is None:
        return None
    return MATCHES if hmac.compare_digest(kept, check_value(name, secret)) else DIFFERS


def record(name: str, secret: str) -> str:
    """Keep the check value of `secret` unless one is kept already (whichever process
    starts first records it); then compare. Commits."""
    insert_once(KeyCheck, name=name, check_value=check_value(name, secret))
    db.session.commit()
    return compare(name, secret)


def replace(name: str, secret: str) -> None:
    """Part of the caller's transaction: the data is now written with `secret`."""
    db.session.execute(sa.delete(KeyCheck).where(KeyCheck.name == name))
    db.session.add(KeyCheck(name=name, check_value=check_value(name, secret)))
