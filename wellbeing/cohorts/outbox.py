"""Keeping not-yet-sent messages in step with a cohort's schedule.

Convention for messages about one enrollment: the dedupe key is
`<kind>:<enrollment_id>[:<more>]` (e.g. `week-opened:17:3`, `invitation:17`) and the row
carries the participant's user_id. That is how a cohort finds its pending messages.
"""
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select

from ..core.bulk import chunks
from ..extensions import db
from ..notifications.models import CANCELLED, PENDING, OutboxMessage


def pending_messages(enrollments: Iterable, *, after: dt.datetime | None = None):
    """(message, enrollment) for every pending message of these enrollments, optionally
    only those due after `after`."""
    by_user = {e.user_id: e for e in enrollments}
    for batch in chunks(by_user):
        query = select(OutboxMessage).where(OutboxMessage.status == PENDING,
                                            OutboxMessage.user_id.in_(batch))
        if after is not None:
            query = query.where(OutboxMessage.due_at > after)
        for message in db.session.scalars(query):
            enrollment = by_user[message.user_id]
            parts = message.dedupe_key.split(":")
            if len(parts) > 1 and parts[1] == str(enrollment.id):
                yield message, enrollment


def _anchor_week(due_at: dt.datetime, openings: list[dt.datetime]) -> int:
    """The week a message belongs to: the last opening at or before it (week 1 for
    anything earlier, like a pre-survey reminder)."""
    week = 1
    for n, moment in enumerate(openings, start=1):
        if moment <= due_at:
            week = n
    return week


def shift_pending(enrollments: Iterable, old: list[dt.datetime], new: list[dt.datetime],
                  now: dt.datetime) -> tuple[int, int]:
    """Move every future pending message by as much as its week moved. A message whose
    week no longer exists, or whose new time has already passed, is cancelled: its
    moment is gone, and sending it late would be wrong. Returns (moved, cancelled)."""
    moved = cancelled = 0
    for message, _ in list(pending_messages(enrollments, after=now)):
        week = _anchor_week(message.due_at, old)
        if week > len(new):
            message.status = CANCELLED
            cancelled += 1
            continue
        due = message.due_at + (new[week - 1] - old[week - 1])
        if due <= now:
            message.status = CANCELLED
            cancelled += 1
        elif due != message.due_at:
            message.due_at = due
            moved += 1
    return moved, cancelled


def cancel_pending(enrollments: Iterable) -> int:
    """Nothing more goes to these enrollments (withdrawn)."""
    count = 0
    for message, _ in list(pending_messages(enrollments)):
        message.status = CANCELLED
        count += 1
    return count
