"""Shared steps for reminder tests: run the planner and the sender at a controlled time,
and read what the SMTP server received."""
import datetime as dt

import time_machine
from sqlalchemy import select

from wellbeing.core.timeutil import now_utc
from wellbeing.extensions import db
from wellbeing.notifications import delivery
from wellbeing.notifications.models import OutboxMessage
from wellbeing.reminders.planner import plan_due_messages

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def plan_at(moment: dt.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        counts = plan_due_messages(now_utc())
        db.session.commit()
    return counts


def send_at(moment: dt.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return delivery.deliver_due()


def received(smtp, subject_part: str, to: str | None = None) -> list:
    return [m for m in smtp.messages
            if subject_part in m["Subject"] and (to is None or m["To"] == to)]


def rows(kind: str, **filters) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind, **filters)
                                   .order_by(OutboxMessage.id)))
