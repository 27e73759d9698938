"""What staff see of a cohort's mail: counts by kind and status, the next planned sends,
and (HR only) the messages that failed. Never a message body.

Nudges and survey reminders go only to people who have not opened a module or answered
a survey, so their counts would measure progress: they are shown together, as ranges
through core.suppression, and hidden below the organisation's minimum group size."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..cohorts.models import Enrollment
from ..core.suppression import Figure, live_count, minimum_group_size
from ..extensions import db
from ..notifications.models import CANCELLED, FAILED, PENDING, SENDING, SENT, OutboxMessage
from ..notifications.service import KIND_NAMES as OUTBOX_NAMES
from .kinds import KIND_NAMES, NUDGE, SURVEY_REMINDER

PROGRESS_KINDS = (NUDGE, SURVEY_REMINDER)
PROGRESS_LABEL = "Nudges and survey reminders"
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
    return (select().select_from(OutboxMessage)
            .join(Enrollment, Enrollment.id == OutboxMessage.enrollment_id)
            .where(OutboxMessage.cohort_id == cohort.id))


def counts(cohort, org) -> list[Row]:
    minimum = minimum_group_size(org)
    found: dict[tuple[str, str], int] = {}
    for kind, status, n in db.session.execute(
            _of_cohort(cohort).add_columns(OutboxMessage.kind, OutboxMessage.status,
                                           func.count())
            .group_by(OutboxMessage.kind, OutboxMessage.status)):
        key = PROGRESS_LABEL if kind in PROGRESS_KINDS else kind
        found[(key, status)] = found.get((key, status), 0) + n
    rows = []
    for key in sorted({k for k, _ in found}, key=lambda k: (k == PROGRESS_LABEL, k)):
        totals = {column: sum(found.get((key, s), 0) for s in statuses)
                  for column, statuses in COLUMNS}
        if key == PROGRESS_LABEL:
            rows.append(Row(key, {c: live_count(n, minimum) for c, n in totals.items()},
                            banded=True))
        else:
            rows.append(Row(NAMES.get(key, key), {c: Figure(str(n), exact=n)
                                                  for c, n in totals.items()}))
    return rows


def upcoming(cohort, org, limit: int = 8) -> list[Upcoming]:
    """The next planned sends, grouped by minute and kind."""
    minimum = minimum_group_size(org)
    found: dict[tuple[dt.datetime, str], int] = {}
    for kind, due_at in db.session.execute(
            _of_cohort(cohort).add_columns(OutboxMessage.kind, OutboxMessage.due_at)
            .where(OutboxMessage.status == PENDING).order_by(OutboxMessage.due_at)
            .limit(5000)):
        label = PROGRESS_LABEL if kind in PROGRESS_KINDS else NAMES.get(kind, kind)
        minute = due_at.replace(second=0, microsecond=0)
        found[(minute, label)] = found.get((minute, label), 0) + 1
    return [Upcoming(due, label, live_count(n, minimum) if label == PROGRESS_LABEL
                     else Figure(str(n), exact=n))
            for (due, label), n in sorted(found.items())[:limit]]


def failed(cohort) -> list[OutboxMessage]:
    """HR only: who, which kind, when and why. The caller never shows a body."""
    return list(db.session.scalars(
        select(OutboxMessage).join(Enrollment, Enrollment.id == OutboxMessage.enrollment_id)
        .where(OutboxMessage.cohort_id == cohort.id, OutboxMessage.status == FAILED)
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())))
