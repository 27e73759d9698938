"""The journal is private to its author and encrypted at rest."""
import pytest
from sqlalchemy import select, text

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.course.models import JournalEntry
from wellbeing.extensions import db

from .conftest import at

SECRET = "I felt ashamed after the review with Dana and cried in the car."


@pytest.fixture
def entry(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    response = signed_in.post("/course/journal", data={"body": SECRET, "week": "3"})
    assert response.status_code == 302
    return db.session.scalar(select(JournalEntry))


def test_the_author_writes_and_reads_an_entry(entry, signed_in):
    listing = signed_in.get("/course/journal").get_data(as_text=True)
    assert "Saved to your private journal." in listing
    assert SECRET[:60] in listing and "week 3 reflection" in listing
    page = signed_in.get(f"/course/journal/{entry.id}").get_data(as_text=True)
    assert SECRET in page
    assert "Week 3 reflection:" in page  # the prompt it answered


def test_the_stored_text_is_not_plaintext(entry, app):
    raw = db.session.execute(text("SELECT body_encrypted FROM journal_entries")).scalar_one()
    assert SECRET not in raw and "ashamed" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    from cryptography.fernet import Fernet
    with pytest.raises(Exception):  # noqa: B017 - a key from elsewhere cannot read it
        Fernet(Fernet.generate_key()).decrypt(raw.encode())


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR, PARTICIPANT])
def test_nobody_else_can_read_it_whatever_their_role(entry, app, make_user, org, cohort,
                                                      enroll, login, role):
    other = make_user(role, org=org)
    if role == PARTICIPANT:
        enroll(other, cohort)
    client = app.test_client()
    login(client, other)
    for path in (f"/course/journal/{entry.id}", f"/course/journal/{entry.id}/edit",
                 f"/course/journal/{entry.id}/delete"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"ashamed" not in response.data
    assert client.post(f"/course/journal/{entry.id}/edit",
                       data={"body": "overwritten"}).status_code == 404
    assert client.post(f"/course/journal/{entry.id}/delete").status_code == 404
    assert db.session.get(JournalEntry, entry.id) is not None
    if role == PARTICIPANT:
        assert b"ashamed" not in client.get("/course/journal").data
    else:
        assert client.get("/course/journal").status_code == 403


def test_an_over_long_entry_is_explained_and_kept(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    body = "x" * 10_005
    response = signed_in.post("/course/journal", data={"body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your entry is 10,005 characters long; the limit is 10,000" in html
    assert body in html
    assert db.session.scalar(select(JournalEntry)) is None


def test_an_empty_entry_is_explained(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    response = signed_in.post("/course/journal", data={"body": "   "})
    assert b"Write something before saving." in response.data


def test_the_author_edits_and_deletes(entry, signed_in):
    signed_in.post(f"/course/journal/{entry.id}/edit", data={"body": "Kinder words today."})
    db.session.expire_all()
    assert "Kinder" not in db.session.get(JournalEntry, entry.id).body_encrypted
    assert b"Kinder words today." in signed_in.get(f"/course/journal/{entry.id}").data
    entry_page = signed_in.get(f"/course/journal/{entry.id}").get_data(as_text=True)
    assert f'href="/course/journal/{entry.id}/delete"' in entry_page  # asks before deleting
    question = signed_in.get(f"/course/journal/{entry.id}/delete").get_data(as_text=True)
    assert "deleted for good" in question and "Kinder words today." in question
    assert db.session.get(JournalEntry, entry.id) is not None
    signed_in.post(f"/course/journal/{entry.id}/delete")
    assert db.session.scalar(select(JournalEntry)) is None


def test_a_different_key_cannot_read_entries_and_says_so(entry, signed_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOURNAL_KEY", "another-key")
    page = signed_in.get(f"/course/journal/{entry.id}")
    assert page.status_code == 200
    assert b"cannot be read with the current journal key" in page.data
    assert b"ashamed" not in page.data


def test_a_week_that_is_not_a_plain_number_is_ignored(signed_in, travel):
    travel(at(2026, 3, 10, 12))
    for week in ("%C2%B2", "9" * 5000, "-1"):
        assert signed_in.get(f"/course/journal?week={week}").status_code == 200
