"""JOURNAL_KEY can be rotated (`wellbeing rekey-journal`): every entry moves to the new
key in one transaction and its author still reads it; the old key reads nothing."""
import datetime as dt

import pytest
from sqlalchemy import select

from wellbeing.auth.models import PARTICIPANT
from wellbeing.cli import rekey_journal_command
from wellbeing.course import journal
from wellbeing.course.models import JournalEntry
from wellbeing.extensions import db

NEW_KEY = "j" * 64
TEXTS = ["I was kinder to myself after the meeting.", "Soothing touch helped at 3 a.m."]


@pytest.fixture
def entries(app, make_user, org):
    people = [make_user(PARTICIPANT, org=org) for _ in TEXTS]
    written = [journal.write(person, text, dt.date(2026, 3, 17), week=2)
               for person, text in zip(people, TEXTS, strict=True)]
    return people, [(e.id, e.body_encrypted, e.updated_at) for e in written]


def _read_as_author(person) -> list[str]:
    db.session.expire_all()
    return [journal.decrypt(e.body_encrypted) for e in journal.entries_of(person)]


def test_the_command_moves_every_entry_and_says_what_to_do_next(app, entries, monkeypatch):
    people, before = entries
    monkeypatch.setenv("JOURNAL_KEY", app.config["JOURNAL_KEY"])  # as production sets it
    monkeypatch.setenv("NEW_JOURNAL_KEY", NEW_KEY)
    result = app.test_cli_runner().invoke(rekey_journal_command,
                                          ["--new-key-from", "NEW_JOURNAL_KEY"])
    assert result.exit_code == 0, result.output
    assert "Moved 2 journal entries" in result.output
    assert "set JOURNAL_KEY to the new key" in result.output
    db.session.expire_all()
    after = {e.id: (e.body_encrypted, e.updated_at)
             for e in db.session.scalars(select(JournalEntry))}
    for entry_id, token, updated in before:
        assert after[entry_id][0] != token  # new ciphertext
        assert after[entry_id][1] == updated  # not an edit by the author
    assert [journal.UNREADABLE] == _read_as_author(people[0])  # the old key reads nothing
    monkeypatch.setitem(app.config, "JOURNAL_KEY", NEW_KEY)
    assert [_read_as_author(p) for p in people] == [[t] for t in TEXTS]


def test_an_entry_the_old_key_cannot_open_stops_the_move_unless_told(app, entries,
                                                                     monkeypatch):
    people, before = entries
    stray = journal._fernet("another key altogether " * 3).encrypt(b"lost").decode()
    db.session.get(JournalEntry, before[1][0]).body_encrypted = stray
    db.session.commit()
    monkeypatch.setenv("JOURNAL_KEY", app.config["JOURNAL_KEY"])
    monkeypatch.setenv("NEW_JOURNAL_KEY", NEW_KEY)
    runner = app.test_cli_runner()
    refused = runner.invoke(rekey_journal_command, ["--new-key-from", "NEW_JOURNAL_KEY"])
    assert refused.exit_code != 0 and "nothing was changed" in refused.output
    db.session.expire_all()
    assert db.session.get(JournalEntry, before[0][0]).body_encrypted == before[0][1]
    moved = runner.invoke(rekey_journal_command,
                          ["--new-key-from", "NEW_JOURNAL_KEY", "--leave-unopenable"])
    assert moved.exit_code == 0, moved.output
    assert "Moved 1 journal entries" in moved.output and "1 that did not open" in moved.output
    monkeypatch.setitem(app.config, "JOURNAL_KEY", NEW_KEY)
    assert _read_as_author(people[0]) == [TEXTS[0]]
    assert db.session.get(JournalEntry, before[1][0]).body_encrypted == stray


def test_a_short_or_unchanged_key_is_refused(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOURNAL_KEY", "k" * 64)
    monkeypatch.setenv("JOURNAL_KEY", "k" * 64)
    monkeypatch.setenv("SHORT", "short")
    monkeypatch.setenv("SAME", "k" * 64)
    runner = app.test_cli_runner()
    short = runner.invoke(rekey_journal_command, ["--new-key-from", "SHORT"])
    assert short.exit_code != 0 and "at least 32 characters" in short.output
    same = runner.invoke(rekey_journal_command, ["--new-key-from", "SAME"])
    assert same.exit_code != 0 and "is the key in use" in same.output
