"""What staff see of a cohort's mail: counts by kind and status, the next planned sends,
and (HR only) the messages that failed. Never a message body.

Nudges and survey emails go only to people who have not opened a module or answered a
survey (a survey email planned for later is cancelled once they answer), so anything
about them measures progress. They are one row, always there (its absence would say
there were none), every figure a range through core.suppression; they are never in the
next planned sends (when each waits for someone's quiet hours, a lone minute is one
person) nor named among the failures (see notifications.service.NAMED_FAILURE_KINDS)."""
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..cohorts.models import Enrollment
from ..core.suppression import Figure, live_count, minimum_group_size
from ..extensions import db
from ..notifications.models import CANCELLED, FAILED, PENDING, SENDING, SENT, OutboxMessage
from ..notifications.service import KIND_NAMES as OUTBOX_NAMES
from ..notifications.service import NAMED_FAILURE_KINDS
from .kinds import KIND_NAMES, NUDGE, SURVEY_OPEN, SURVEY_REMINDER

PROGRESS_KINDS = (NUDGE, SURVEY_OPEN, SURVEY_REMINDER)
PROGRESS_LABEL = "Nudges and survey emails"
COLUMNS = (("planned", (PENDING, SENDING)), ("sent", (SENT,)), ("failed", (FAILED,)),
           ("cancelled", (CANCELLED,)))
NAMES = {**OUTBOX_NAMES, **KIND_NAMES}


@dataclass(frozen=True)
class Row:
    label: str
    figures: dict[str, Figure]  # column -> figure
    banded: bool = False


@dataclass(frozen=True)
class Upcoming:
    due_at: dt.datetime
    label: str
    figure: Figure


def _of_cohort(cohort):
    # By the row's cohort alone, not joined to its enrollment: mail of a person who
    # deleted their account stays counted, kept without them (account.service), or the
    # figures would drop by that person's mail.
    return select().select_from(OutboxMessage).where(OutboxMessage.cohort_id == cohort.id)


def counts(cohort, org) -> list[Row]:
    minimum = minimum_group_size(org)
    found: dict[tuple[str, str], int] = {}
    for kind, status, n in db.session.execute(
            _of_cohort(cohort).add_columns(OutboxMessage.kind, OutboxMessage.status,
                                           func.count())
            .group_by(OutboxMessage.kind, OutboxMessage.status)):
        key = PROGRESS_LABEL if kind in PROGRESS_KINDS else kind
        found[(key, status)] = found.get((key, status), 0) + n

    def totals(key: str) -> dict[str, int]:
        return {column: sum(found.get((key, s), 0) for s in statuses)
                for column, statuses in COLUMNS}

    rows = [Row(NAMES.get(key, key), {c: Figure(str(n), exact=n)
                                      for c, n in totals(key).items()})
            for key in sorted({k for k, _ in found} - {PROGRESS_LABEL})]
    rows.append(Row(PROGRESS_LABEL, {c: UNCOUNTED if c in FOLLOW_PEOPLE else live_count(
        n, minimum) for c, n in totals(PROGRESS_LABEL).items()}, banded=True))
    return rows


# Unsent nudges and survey reminders are cancelled when their person leaves and go with
# them when they are moved: counted, a withdrawal or a move HR made would change them by
# that one person's, and say whether they were behind.
FOLLOW_PEOPLE = ("planned", "cancelled")
UNCOUNTED = Figure("moves when someone leaves", hidden=True, reason=(
    "Not counted: unsent reminders follow their person, so this number would change "
    "when one person leaves or is moved, and say whether they were behind."))


def upcoming(cohort, limit: int = 8) -> list[Upcoming]:
    """The next planned sends of the kinds everyone gets, grouped by minute and kind."""
    found: dict[tuple[dt.datetime, str], int] = {}
    for kind, due_at in db.session.execute(
            _of_cohort(cohort).add_columns(OutboxMessage.kind, OutboxMessage.due_at)
            .where(OutboxMessage.status == PENDING,
                   OutboxMessage.kind.not_in(PROGRESS_KINDS))
            .order_by(OutboxMessage.due_at).limit(5000)):
        key = (due_at.replace(second=0, microsecond=0), NAMES.get(kind, kind))
        found[key] = found.get(key, 0) + 1
    return [Upcoming(due, label, Figure(str(n), exact=n))
            for (due, label), n in sorted(found.items())[:limit]]


def failed(cohort) -> list[OutboxMessage]:
    """HR only: who, which kind, when and why, for the kinds that may be named. The
    caller never shows a body."""
    return list(db.session.scalars(
        select(OutboxMessage).join(Enrollment, Enrollment.id == OutboxMessage.enrollment_id)
        .where(OutboxMessage.cohort_id == cohort.id, OutboxMessage.status == FAILED,
               OutboxMessage.kind.in_(NAMED_FAILURE_KINDS))
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())))


def handle(message: OutboxMessage) -> str:
    """What the page names a failed message by, instead of its id: ids are a sequence, so
    the gap between two failed invitations' ids counted every email written between them
    (a reminder planned for one person among them)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"outbox-message:{message.id}".encode(), hashlib.sha256).hexdigest()[:24]


def failed_by_handle(cohort, wanted: str) -> OutboxMessage | None:
    return next((m for m in failed(cohort) if hmac.compare_digest(handle(m), wanted)), None)
