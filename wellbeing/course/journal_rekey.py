"""Moving every journal entry to a new JOURNAL_KEY (`wellbeing rekey-journal`).

Entries are encrypted under a key derived from JOURNAL_KEY (journal.py), so a changed
key alone would make every entry unreadable. This opens each entry with the old key and
encrypts it under the new one, all in one transaction: either every entry moves or none
does. Then the table is rebuilt so the old ciphertext leaves the database files."""
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from sqlalchemy import select, update

from ..core.bulk import rebuild
from ..extensions import db
from .journal import _fernet
from .models import JournalEntry


class Unopenable(Exception):
    """Some entries do not open with the key said to be the old one."""


@dataclass(frozen=True)
class Moved:
    entries: int
    left: int


def rekey(old: str, new: str, leave_unopenable: bool = False) -> Moved:
    if old == new:
        raise ValueError("The new JOURNAL_KEY is the key in use.")
    before, after = _fernet(old), _fernet(new)
    moved, left = [], 0
    for entry_id, token in db.session.execute(
            select(JournalEntry.id, JournalEntry.body_encrypted).with_for_update()):
        try:
            text = before.decrypt(token.encode())
        except InvalidToken:
            left += 1
            continue
        moved.append({"id": entry_id, "body": after.encrypt(text).decode()})
    if left and not leave_unopenable:
        db.session.rollback()
        raise Unopenable(f"{left} journal entries do not open with the JOURNAL_KEY in use, "
                         "so nothing was changed. Run this with the key they were written "
                         "with, or add --leave-unopenable to leave those entries as they "
                         "are (they stay unreadable).")
    for row in moved:
        db.session.execute(update(JournalEntry).where(JournalEntry.id == row["id"])
                           # not an edit: the entry keeps its "last changed" time
                           .values(body_encrypted=row["body"],
                                   updated_at=JournalEntry.updated_at)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return Moved(len(moved), left)


def compact() -> None:
    rebuild("journal_entries")
