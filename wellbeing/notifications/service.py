"""Writing messages to the outbox, and handing them to the worker after commit."""
import datetime as dt

from flask import current_app, render_template
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..core.timeutil import now_utc
from ..extensions import db
from .models import FAILED, PENDING, OutboxMessage

DELIVER_TASK = "wellbeing.deliver"
_AFTER_COMMIT = "wellbeing_deliver_after_commit"


def queue_email(*, org_id: int, dedupe_key: str, kind: str, to_email: str, subject: str,
                template: str, user_id: int | None = None, due_at: dt.datetime | None = None,
                unsubscribe_url: str | None = None, enrollment_id: int | None = None,
                week: int | None = None, wave: str | None = None,
                **context) -> OutboxMessage | None:
    """Add a message to the current transaction unless one with the same key exists.
    A message about an enrollment names it (and its week or survey wave, if any), so
    notifications.pending can move or cancel it later.

    Returns the new row, or None when the message was already planned. Messages due
    now are handed to the worker as soon as the transaction commits; later ones are
    picked up by the beat sweep when they fall due.
    """
    existing = db.session.scalar(select(OutboxMessage.id).filter_by(dedupe_key=dedupe_key))
    if existing is not None:
        return None
    context.setdefault("base_url", current_app.config["BASE_URL"])
    context.setdefault("unsubscribe_url", unsubscribe_url)
    message = OutboxMessage(
        org_id=org_id, dedupe_key=dedupe_key, kind=kind, user_id=user_id,
        enrollment_id=enrollment_id, week=week, wave=wave,
        to_email=to_email, subject=subject, unsubscribe_url=unsubscribe_url,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", **context),
        due_at=due_at or now_utc(), status=PENDING,
    )
    db.session.add(message)
    if message.due_at <= now_utc():
        db.session.flush()
        db.session.info.setdefault(_AFTER_COMMIT, []).append(message.id)
    return message


def enqueue_delivery(message_ids: list[int]) -> None:
    celery = current_app.extensions["celery"]
    for message_id in message_ids:
        try:
            celery.send_task(DELIVER_TASK, args=[message_id])
        except Exception:  # noqa: BLE001 - the beat sweep retries anything not enqueued
            current_app.logger.warning("could not enqueue message %s; the sweep will", message_id)


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session):
    ids = session.info.pop(_AFTER_COMMIT, None)
    # Tests without a worker turn this off and flush the outbox themselves.
    if ids and current_app.config.get("ENQUEUE_AFTER_COMMIT", True):
        enqueue_delivery(ids)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    session.info.pop(_AFTER_COMMIT, None)


KIND_NAMES = {"invitation": "Invitation", "moved": "Course change", "sign-in": "Sign-in link"}


def undelivered(org_id: int, user_ids: list[int]) -> list[OutboxMessage]:
    """Messages to these people that failed for good (every retry used up), newest
    first: what HR must see to fix an address or tell the person another way."""
    if not user_ids:
        return []
    return list(db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.org_id == org_id, OutboxMessage.status == FAILED,
               OutboxMessage.user_id.in_(user_ids))
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())))
