"""A participant's own data: download all of it (each area registers its exporter in
core/personal_data.py), or delete the account."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy import delete, or_, select

from ..audit.service import record
from ..cohorts.models import Enrollment
from ..core.personal_data import exporters
from ..extensions import db
from ..notifications.models import OutboxMessage
from ..surveys.service import delete_own_answers


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def export(user, now: dt.datetime) -> dict:
    data = {"exported_at": now.isoformat(), "format": "wellbeing-personal-data/1"}
    for name, function in exporters():
        data[name] = _jsonable(function(user))
    return data


# ---- deletion ---------------------------------------------------------------------

def _referencing(table: sa.Table) -> list[tuple[sa.Table, sa.ForeignKey]]:
    return [(other, fk) for other in db.metadata.sorted_tables
            for fk in other.foreign_keys if fk.column.table is table]


def _purge(table: sa.Table, column: sa.Column, values: list) -> None:
    """Delete the rows of `table` where `column` is in `values`, first doing what each
    foreign key asks of the rows that point at them (CASCADE, SET NULL). Done here rather
    than left to the database so SQLite, which ignores ON DELETE by default, agrees."""
    if not values:
        return
    pk = list(table.primary_key.columns)
    if len(pk) == 1:
        ids = list(db.session.scalars(select(pk[0]).where(column.in_(values))))
        for other, fk in _referencing(table):
            if fk.column is not pk[0] or other is table:
                continue
            if (fk.ondelete or "").upper() == "SET NULL":
                db.session.execute(sa.update(other).where(fk.parent.in_(ids))
                                   .values({fk.parent.name: None}))
            else:
                _purge(other, fk.parent, ids)
    db.session.execute(delete(table).where(column.in_(values)))


def delete_account(user, *, delete_answers: bool) -> None:
    """Remove the person: their user row and everything that hangs on it. Their survey
    answers (which carry no identity) go too when they ask, found by pairing key."""

    cohort_ids = {cohort_id for enrollment in db.session.scalars(
        select(Enrollment).filter_by(user_id=user.id))
        for cohort_id in enrollment.answer_cohort_ids}
    if delete_answers:
        delete_own_answers(user.id, cohort_ids)
    # Messages carry the address and name; a deleted person keeps no mail history here.
    db.session.execute(delete(OutboxMessage).where(
        or_(OutboxMessage.user_id == user.id, OutboxMessage.to_email == user.email)))
    org_id = user.org_id
    users = db.metadata.tables["users"]
    db.session.expunge(user)
    _purge(users, users.c.id, [user.id])
    record(org_id, None, "account.deleted", None,
           "A participant deleted their account at their own request.")
    db.session.commit()
