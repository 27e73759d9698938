"""Writing messages to the outbox, and handing them to the worker after commit.

Every outbox write goes through here: queue_email for one message rendered from its
templates, queue_many for a mail merge written in bulk. Nothing else has to remember to
wake the worker: when the transaction commits, messages queued one by one get a delivery
task each (a sign-in link never waits behind bulk mail), and a bulk write gets one sweep
task for all of its rows. If the broker is down, beat's minute sweep sends them anyway.
"""
import datetime as dt

from flask import current_app, render_template
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..core.bulk import chunks, insert_rows
from ..core.timeutil import now_utc
from ..extensions import db
from .models import FAILED, PENDING, OutboxMessage

DELIVER_TASK = "wellbeing.deliver"
SWEEP_TASK = "wellbeing.sweep_outbox"
_DELIVER_AFTER_COMMIT = "wellbeing_deliver_after_commit"
_SWEEP_AFTER_COMMIT = "wellbeing_sweep_after_commit"
# What a bulk row may leave out (None unless given); the rest it must carry.
_OPTIONAL = ("user_id", "enrollment_id", "cohort_id", "week", "wave", "body_html",
             "unsubscribe_url", "due_at")


def queue_email(*, org_id: int, dedupe_key: str, kind: str, to_email: str, subject: str,
                template: str, user_id: int | None = None, due_at: dt.datetime | None = None,
                unsubscribe_url: str | None = None, enrollment_id: int | None = None,
                cohort_id: int | None = None, week: int | None = None,
                wave: str | None = None, **context) -> OutboxMessage | None:
    """Add a message to the current transaction unless one with the same key exists.
    A message about an enrollment names it and its cohort at this moment (and its week
    or survey wave, if any), so notifications.pending can move or cancel it later and
    staff counts keep it in the cohort it was sent for.

    Returns the new row, or None when the message was already planned. Messages due
    now are handed to the worker as soon as the transaction commits; later ones are
    picked up by the beat sweep when they fall due.
    """
    _check_cohort(enrollment_id, cohort_id)
    existing = db.session.scalar(select(OutboxMessage.id).filter_by(dedupe_key=dedupe_key))
    if existing is not None:
        return None
    context.setdefault("base_url", current_app.config["BASE_URL"])
    context.setdefault("unsubscribe_url", unsubscribe_url)
    message = OutboxMessage(
        org_id=org_id, dedupe_key=dedupe_key, kind=kind, user_id=user_id,
        enrollment_id=enrollment_id, cohort_id=cohort_id, week=week, wave=wave,
        to_email=to_email, subject=subject, unsubscribe_url=unsubscribe_url,
        body_text=render_template(f"emails/{template}.txt", **context),
        body_html=render_template(f"emails/{template}.html", **context),
        due_at=due_at or now_utc(), status=PENDING,
    )
    db.session.add(message)
    if message.due_at <= now_utc():
        db.session.flush()
        db.session.info.setdefault(_DELIVER_AFTER_COMMIT, []).append(message.id)
    return message


def queue_many(rows: list[dict], *, concurrent: bool = False) -> list[dict]:
    """Add many rendered messages (a mail merge) to the current transaction in one bulk
    write. A row holds org_id, dedupe_key, kind, to_email, subject and body_text, and
    may hold any of user_id, enrollment_id, cohort_id, week, wave, body_html,
    unsubscribe_url and due_at (default: now); a row with enrollment_id needs cohort_id.

    Rows whose key is already planned, or repeated in `rows`, are skipped, as queue_email
    skips them. Returns the rows written, in the order given.

    `concurrent`: another process may be writing the same keys at this moment (two
    planners): each row is inserted with ON CONFLICT DO NOTHING, so the unique key
    decides and the rows another transaction wrote first are left out of the result
    instead of failing this one."""
    if not rows:
        return []
    for row in rows:
        _check_cohort(row.get("enrollment_id"), row.get("cohort_id"))
    taken = set()
    for batch in chunks({row["dedupe_key"] for row in rows}):
        taken.update(db.session.scalars(select(OutboxMessage.dedupe_key)
                                        .where(OutboxMessage.dedupe_key.in_(batch))))
    written = []
    for row in rows:
        if row["dedupe_key"] not in taken:
            taken.add(row["dedupe_key"])
            written.append(row)
    if not written:
        return []
    now = now_utc()
    records = [{**dict.fromkeys(_OPTIONAL), **row, "status": PENDING, "attempts": 0,
                "created_at": now} for row in written]
    for record in records:
        record["due_at"] = record["due_at"] or now
    if concurrent:
        kept = set(_insert_unless_taken(records))
        written = [row for row in written if row["dedupe_key"] in kept]
        records = [record for record in records if record["dedupe_key"] in kept]
    else:
        insert_rows(OutboxMessage.__table__, records)
    if any(record["due_at"] <= now for record in records):
        db.session.info[_SWEEP_AFTER_COMMIT] = True
    return written


def _check_cohort(enrollment_id: int | None, cohort_id: int | None) -> None:
    """Mail about an enrollment without its cohort would drop out of every cohort's
    counts: refuse it where it is written, not on a staff page weeks later."""
    if enrollment_id is not None and cohort_id is None:
        raise ValueError("a message about an enrollment must name its cohort (cohort_id)")


def _insert_unless_taken(records: list[dict]) -> list[str]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING dedupe_key, in bounded batches."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    # One statement executed for many rows (SQLAlchemy batches them into multi-row
    # INSERTs itself): compiling a VALUES list of 500 rows would cost more than the write.
    statement = (insert(OutboxMessage.__table__)
                 .on_conflict_do_nothing(index_elements=["dedupe_key"])
                 .returning(OutboxMessage.dedupe_key))
    kept = []
    for batch in chunks(records, 1000):
        kept.extend(db.session.execute(statement, batch).scalars())
    return kept


def enqueue_delivery(message_ids: list[int]) -> None:
    """One task per message on the urgent queue, which every worker reads beside the bulk
    one: a sign-in link asked for during a 10,000-row import is not queued behind it."""
    celery = current_app.extensions["celery"]
    for message_id in message_ids:
        try:
            celery.send_task(DELIVER_TASK, args=[message_id],
                             queue=current_app.config["URGENT_QUEUE"])
        except Exception:  # noqa: BLE001 - the beat sweep retries anything not enqueued
            current_app.logger.warning("could not enqueue message %s; the sweep will", message_id)


def enqueue_sweep() -> None:
    """One task that sends everything due: 10,000 task messages would only slow the
    request that wrote them."""
    try:
        current_app.extensions["celery"].send_task(SWEEP_TASK)
    except Exception:  # noqa: BLE001 - beat's minute sweep picks the messages up anyway
        current_app.logger.warning("could not enqueue the outbox sweep; beat will")


def retry(message: OutboxMessage) -> bool:
    """Try a failed message again now, with a fresh set of attempts; handed to the
    worker after commit like any new message. Returns False unless it had failed, and for
    a message kept without its address after its person deleted their account."""
    if message.status != FAILED or not message.to_email:
        return False
    message.status, message.attempts, message.due_at = PENDING, 0, now_utc()
    db.session.flush()
    db.session.info.setdefault(_DELIVER_AFTER_COMMIT, []).append(message.id)
    return True


@event.listens_for(Session, "after_commit")
def _hand_to_worker(session: Session) -> None:
    """After the commit, never before: a task sent earlier could run before its rows
    are visible, or for rows a rollback then removed."""
    ids = session.info.pop(_DELIVER_AFTER_COMMIT, None)
    sweep = session.info.pop(_SWEEP_AFTER_COMMIT, False)
    # Tests without a worker turn this off and flush the outbox themselves.
    if not current_app.config.get("ENQUEUE_AFTER_COMMIT", True):
        return
    if ids:
        enqueue_delivery(ids)
    if sweep:
        enqueue_sweep()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_DELIVER_AFTER_COMMIT, None)
    session.info.pop(_SWEEP_AFTER_COMMIT, None)


# The kinds whose failure HR may see by name, with their names: each goes to everyone it
# concerns whatever they did. Every other kind (a nudge, a survey email, a sign-in link)
# goes to someone for what they did or did not do, so "it failed to reach Bea" would say
# that Bea was behind, had not answered, or tried to sign in: those are only ever
# counted, as ranges. An allowlist, so that a new kind stays unnamed until decided.
NAMED_FAILURE_KINDS = {"invitation": "Invitation", "moved": "Course change",
                       "week-opened": "Week opened", "announcement": "Announcement"}
KIND_NAMES = {**NAMED_FAILURE_KINDS, "sign-in": "Sign-in link"}


def undelivered(org_id: int, user_ids: list[int]) -> list[OutboxMessage]:
    """Messages to these people that failed for good (every retry used up), newest
    first, of the kinds HR may see by name: what HR must see to fix an address or tell
    the person another way."""
    if not user_ids:
        return []
    return list(db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.org_id == org_id, OutboxMessage.status == FAILED,
               OutboxMessage.kind.in_(NAMED_FAILURE_KINDS),
               OutboxMessage.user_id.in_(user_ids))
        .order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())))
