"""Messages not sent yet, kept in step with what happens to their enrollment.

A message about an enrollment carries its `enrollment_id`; this is how a schedule change
moves it and a withdrawal cancels it. Callers pass enrollment ids and the week openings
(UTC instants) before and after, so the outbox needs to know nothing about cohorts.
"""
import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import select

from ..core.bulk import chunks
from ..extensions import db
from .models import CANCELLED, PENDING, OutboxMessage


def pending_messages(enrollment_ids: Iterable[int], *,
                     after: dt.datetime | None = None) -> Iterator[OutboxMessage]:
    """Every pending message of these enrollments, optionally only those due after
    `after`."""
    for batch in chunks(set(enrollment_ids)):
        query = select(OutboxMessage).where(OutboxMessage.status == PENDING,
                                            OutboxMessage.enrollment_id.in_(batch))
        if after is not None:
            query = query.where(OutboxMessage.due_at > after)
        yield from db.session.scalars(query.order_by(OutboxMessage.id))


def _anchor_week(due_at: dt.datetime, openings: list[dt.datetime]) -> int:
    """The week a message belongs to: the last opening at or before it (week 1 for
    anything earlier, like a pre-survey reminder)."""
    week = 1
    for n, moment in enumerate(openings, start=1):
        if moment <= due_at:
            week = n
    return week


def shift_pending(enrollment_ids: Iterable[int], old: list[dt.datetime],
                  new: list[dt.datetime], now: dt.datetime, *,
                  cohort_id: int | None = None) -> tuple[int, int]:
    """Move every future pending message by as much as its week moved (the week it
    names, else the week it falls in). A message whose week no longer exists, or whose
    new time has already passed, is cancelled: its moment is gone, and sending it late
    would be wrong. Returns (moved, cancelled).

    `cohort_id`: the people were moved to that cohort, so the messages still to send go
    with them and count there. Mail sent, failed or cancelled stays where it was."""
    moved = cancelled = 0
    for message in list(pending_messages(enrollment_ids, after=now)):
        week = message.week or _anchor_week(message.due_at, old)
        due = (message.due_at + (new[week - 1] - old[week - 1])
               if week <= len(new) and week <= len(old) else None)
        if due is None or due <= now:
            message.status = CANCELLED
            cancelled += 1
            continue
        if due != message.due_at:
            message.due_at = due
            moved += 1
        if cohort_id is not None:
            message.cohort_id = cohort_id
    return moved, cancelled


def cancel_pending(enrollment_ids: Iterable[int]) -> int:
    """Nothing more goes to these enrollments (withdrawn)."""
    count = 0
    for message in list(pending_messages(enrollment_ids)):
        message.status = CANCELLED
        count += 1
    return count
