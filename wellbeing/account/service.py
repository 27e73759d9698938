"""A participant's own data: download all of it (each area registers its exporter in
core/personal_data.py), or delete the account."""
import datetime as dt
import secrets

import sqlalchemy as sa
from sqlalchemy import delete, or_, select

from ..audit.service import record
from ..auth.models import User
from ..cohorts.models import Cohort, Enrollment
from ..core.personal_data import exporters
from ..core.timeutil import now_utc
from ..course.models import ModuleOpened, ModuleProgress, PracticeLog
from ..extensions import db
from ..notifications.models import CANCELLED, FAILED, PENDING, SENT, OutboxMessage
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


def _keep_cohort_records(enrollment_ids: list[int]) -> None:
    """Weeks opened and completed stay in their cohort's counts, without the person: the
    enrollment link goes (the foreign key's SET NULL, in _purge) and the day becomes the
    cohort's start, which no figure reads and which says nothing of the person. Deleted,
    they lowered the completion page by exactly what the person had done. Practice logs
    go: the practice figures are taken once, at the close, and a kept day, practice and
    number of minutes would be the person's own habits."""
    for model, day in ((ModuleProgress, "completed_on"), (ModuleOpened, "opened_on")):
        start = select(Cohort.start_date).where(Cohort.id == model.cohort_id).scalar_subquery()
        db.session.execute(sa.update(model).where(model.enrollment_id.in_(enrollment_ids))
                           .values({day: start}))
    db.session.execute(delete(PracticeLog).where(PracticeLog.enrollment_id.in_(enrollment_ids)))


def _keep_sent_mail(user) -> None:
    """A person's mail leaves the delivery view's counts as it was: each finished message
    about a cohort stays as a bare row (kind, status, cohort), with no address, text,
    person or key; one waiting to go is cancelled first, as for someone who withdraws.
    One being sent at this moment, and mail about no cohort, is deleted as before: a
    worker's mark after sending finds no row to put the text back into."""
    theirs = sa.and_(OutboxMessage.org_id == user.org_id, or_(
        OutboxMessage.user_id == user.id, OutboxMessage.to_email == user.email))
    db.session.execute(sa.update(OutboxMessage).where(
        theirs, OutboxMessage.status == PENDING, OutboxMessage.cohort_id.is_not(None))
        .values(status=CANCELLED))
    db.session.execute(delete(OutboxMessage).where(theirs, or_(
        OutboxMessage.cohort_id.is_(None), OutboxMessage.status.not_in(FINISHED))))
    # Times, week and wave go too: a time worked out from their own time zone and quiet
    # hours grouped their rows, and a nudge's week said which weeks they were behind.
    today = now_utc().replace(hour=0, minute=0, second=0, microsecond=0)
    for message_id in list(db.session.scalars(select(OutboxMessage.id).where(theirs))):
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id)
                           .values(dedupe_key=f"departed:{secrets.token_hex(16)}",
                                   due_at=today, created_at=today, **ANONYMOUS_MAIL))


# What a kept message holds of nobody. The address and text columns are NOT NULL, so
# empty; a row without an address is never sent (notifications.service.retry refuses it).
ANONYMOUS_MAIL = {"user_id": None, "enrollment_id": None, "to_email": "", "subject": "",
                  "body_text": "", "body_html": None, "unsubscribe_url": None,
                  "last_error": None, "claimed_at": None, "sent_at": None, "week": None,
                  "wave": None, "attempts": 0}
FINISHED = (SENT, FAILED, CANCELLED)


def _count_departure(enrollments: list[Enrollment]) -> None:
    """Each cohort the person was ever enrolled in counts them still, among everyone
    ever enrolled (Enrollment.count_ever_in): once per enrollment, as ever_in did."""
    for enrollment in enrollments:
        db.session.execute(sa.update(Cohort)
                           .where(Cohort.id.in_(enrollment.answer_cohort_ids))
                           .values(departed=Cohort.departed + 1))


def delete_account(user, *, delete_answers: bool) -> None:
    """Remove the person: their user row and everything that hangs on it. Their survey
    answers (which carry no identity) go too when they ask, found by pairing key. What
    staff counts read stays, anonymous: see _keep_cohort_records and _keep_sent_mail."""

    # Held until the commit: a practice saved or a message planned in another transaction
    # meanwhile waits, then fails on the gone enrollment, instead of slipping in between
    # these statements and keeping the person's text or address.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    enrollments = list(db.session.scalars(
        select(Enrollment).filter_by(user_id=user.id).with_for_update()))
    cohort_ids = {cohort_id for enrollment in enrollments
                  for cohort_id in enrollment.answer_cohort_ids}
    if delete_answers:
        delete_own_answers(user.id, cohort_ids)
    _keep_sent_mail(user)
    _keep_cohort_records([enrollment.id for enrollment in enrollments])
    _count_departure(enrollments)
    org_id = user.org_id
    users = db.metadata.tables["users"]
    db.session.expunge(user)
    _purge(users, users.c.id, [user.id])
    record(org_id, None, "account.deleted", None,
           "A participant deleted their account at their own request.")
    db.session.commit()
