"""Bulk writes (COPY on PostgreSQL, executemany on SQLite) store what an INSERT would:
defaults filled in, times in UTC, and a duplicate refused as an IntegrityError."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wellbeing.auth.models import PARTICIPANT, User
from wellbeing.core.bulk import chunks, insert_rows
from wellbeing.extensions import db


def _person(org, n, created_at):
    return {"org_id": org.id, "email": f"bulk.{n}@acme.example.com", "name": f"Bulk {n}",
            "role": PARTICIPANT, "department": None if n % 2 else "Ops", "locale": "en",
            "timezone": None, "is_active_account": True, "created_at": created_at}


def test_rows_are_stored_with_defaults_and_utc_times(org):
    berlin = dt.datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    insert_rows(User.__table__, [_person(org, n, berlin) for n in range(3)])
    db.session.commit()
    users = list(db.session.scalars(select(User).where(User.email.like("bulk.%"))
                                    .order_by(User.email)))
    assert [u.name for u in users] == ["Bulk 0", "Bulk 1", "Bulk 2"]
    assert [u.department for u in users] == ["Ops", None, "Ops"]
    assert {u.session_version for u in users} == {0}  # a default the rows left out
    assert users[0].created_at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


def test_a_duplicate_is_refused_and_nothing_of_the_batch_stays(org):
    now = dt.datetime.now(dt.UTC)
    insert_rows(User.__table__, [_person(org, 1, now)])
    db.session.commit()
    with pytest.raises(IntegrityError):
        insert_rows(User.__table__, [_person(org, 2, now), _person(org, 1, now)])
    db.session.rollback()
    assert db.session.scalar(select(User).filter_by(email="bulk.2@acme.example.com")) is None


def test_chunks_cover_every_value_once_in_bounded_batches():
    values = list(range(1_801))
    batches = list(chunks(iter(values)))
    assert [len(b) for b in batches] == [900, 900, 1]
    assert [v for b in batches for v in b] == values
    assert list(chunks([], size=3)) == []
    assert list(chunks("abcd", size=3)) == [["a", "b", "c"], ["d"]]
