"""The private reflection journal. Text is encrypted with Fernet under a key derived
from JOURNAL_KEY (HKDF-SHA256), so the database holds only ciphertext; only the author's
own requests ever decrypt it."""
import base64
import datetime as dt
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from .models import JournalEntry

UNREADABLE = "(This entry cannot be read with the current journal key.)"


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"wellbeing-journal",
               info=b"journal-entry-text v1").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(text: str) -> str:
    return _fernet(current_app.config["JOURNAL_KEY"]).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(current_app.config["JOURNAL_KEY"]).decrypt(token.encode()).decode()
    except InvalidToken:
        # A rotated or lost key: say so in the page rather than fail.
        return UNREADABLE


def entries_of(user) -> list[JournalEntry]:
    return list(db.session.scalars(
        select(JournalEntry).filter_by(author_id=user.id)
        .order_by(JournalEntry.written_on.desc(), JournalEntry.id.desc())))


def own_entry(user, entry_id: int) -> JournalEntry | None:
    """The entry only if `user` wrote it; for anyone else it does not exist."""
    return db.session.scalar(select(JournalEntry).filter_by(id=entry_id, author_id=user.id))


def write(user, text: str, today: dt.date, week: int | None = None,
          entry: JournalEntry | None = None) -> JournalEntry:
    if entry is None:
        entry = JournalEntry(org_id=user.org_id, author_id=user.id, week=week,
                             written_on=today)
        db.session.add(entry)
    entry.body_encrypted = encrypt(text)
    db.session.commit()
    return entry


def delete(entry: JournalEntry) -> None:
    db.session.delete(entry)
    db.session.commit()
