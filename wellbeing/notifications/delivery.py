"""Claim, send, mark: the only code that sends email.

deliver() claims a row with one conditional UPDATE (pending → sending). Only the caller
whose UPDATE changed the row sends, so a task redelivered after a worker died, or two
workers racing, cannot send the same message twice.
"""
import datetime as dt
import re
from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache

from flask import current_app
from sqlalchemy import and_, func, select, text, update

from ..core.timeutil import now_utc
from ..extensions import db
from . import mailer
from .models import CANCELLED, FAILED, PENDING, SENDING, SENT, OutboxMessage

MAX_ATTEMPTS = 6
STUCK_AFTER = dt.timedelta(minutes=10)
_SIGNIN_TOKEN = re.compile(r"(/signin/link/)[A-Za-z0-9_-]+")  # secrets.token_urlsafe


# kind -> a function that, given claimed messages of its kinds, says which should no
# longer go and why ({message id: reason}). Higher areas (reminders) fill it: a reminder
# planned a minute ago whose survey was answered since is cancelled here, at the last
# moment, not sent. It takes a whole batch so that a batch costs a few queries.
Check = Callable[[list[OutboxMessage]], dict[int, str]]
_STILL_WANTED: dict[str, Check] = {}


def register_check(kinds, function: Check) -> None:
    for kind in kinds:
        _STILL_WANTED[kind] = function


def _reasons_not_to_send(messages: list[OutboxMessage]) -> dict[int, str]:
    by_check: dict[Check, list[OutboxMessage]] = {}
    for message in messages:
        if message.kind in _STILL_WANTED:
            by_check.setdefault(_STILL_WANTED[message.kind], []).append(message)
    reasons: dict[int, str] = {}
    for check, some in by_check.items():
        reasons.update(check(some))
    return reasons


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8, 16 minutes between tries."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def claim(message_id: int) -> bool:
    now = now_utc()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING,
               OutboxMessage.due_at <= now)
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver(message_id: int) -> str:
    """Send one message if it is still pending and due. Returns what happened."""
    if not claim(message_id):
        return "skipped"
    [row] = _rows([message_id])
    return _send_claimed(row, _reasons_not_to_send([row]).get(row.id))


def claim_due(limit: int) -> list[int]:
    """Claim up to `limit` due messages at once (pending → sending), oldest due first.
    On PostgreSQL the rows are chosen FOR UPDATE SKIP LOCKED, so workers claiming at the
    same moment take different rows instead of waiting for each other."""
    now = now_utc()
    chosen = (select(OutboxMessage.id)
              .where(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now)
              .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    # Two statements, not UPDATE ... WHERE id IN (SELECT ... LIMIT): PostgreSQL may run
    # such a subquery again per row, and with SKIP LOCKED each run finds other rows.
    ids = list(db.session.scalars(chosen))
    if ids:  # only the rows this UPDATE changed are ours (SQLite has no SKIP LOCKED)
        ids = list(db.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == PENDING)
            .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)))
    db.session.commit()
    return sorted(ids)


def deliver_batch(limit: int = 100) -> dict[str, int]:
    """Claim a batch of due messages and send them over this process's one SMTP
    connection, each marked as soon as it is out (a worker killed mid-batch leaves only
    unsent rows in `sending`, which release_stuck returns). Returns outcome counts."""
    counts: dict[str, int] = {}
    ids = claim_due(limit)
    if not ids:
        return counts
    rows = _rows(ids)
    reasons = _reasons_not_to_send(rows)
    # End the read transaction before sending: the marks go over another connection,
    # and a transaction left open here holds its table locks for the whole batch (a
    # TRUNCATE or migration queued behind it would then block those marks: a deadlock).
    db.session.commit()
    with _marks() as mark:
        for row in rows:
            outcome = _send_claimed(row, reasons.get(row.id), mark)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _rows(ids: list[int]):
    """The claimed messages as plain rows: marking one sent commits, and ORM objects
    would all be expired and reloaded one by one after each commit."""
    return db.session.execute(select(OutboxMessage.__table__)
                              .where(OutboxMessage.id.in_(ids))
                              .order_by(OutboxMessage.id)).all()


def _update(message_id: int, values: dict):
    return update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)


@lru_cache(maxsize=16)
def _mark_sql(columns: tuple[str, ...]) -> str:
    """UPDATE of one row's `columns` (names from this module, checked against the
    table) in psycopg's placeholders."""
    table = OutboxMessage.__table__
    assert all(column in table.c for column in columns), columns
    assignments = ", ".join(f"{column} = %s" for column in columns)
    return f"UPDATE {table.name} SET {assignments} WHERE id = %s"


def _mark_now(message_id: int, **values) -> None:
    db.session.execute(_update(message_id, values))
    db.session.commit()


@contextmanager
def _marks():
    """How a batch records what happened to each message.

    Over SMTP each message is marked as soon as the server took it, so a worker killed
    mid-batch resends nothing it sent. On PostgreSQL the marks go over a connection of
    their own in autocommit, with synchronous_commit off: one round trip each, not
    four, and no wait for the disk (only a database crash in that instant could forget a
    mark, never a worker crash). The mail folder names a file after its row, so writing
    one twice changes nothing: there the marks are written once, after the batch."""
    if not current_app.config.get("SMTP_HOST"):
        later: list[tuple[int, dict]] = []
        yield lambda message_id, **values: later.append((message_id, values))
        for message_id, values in later:
            db.session.execute(_update(message_id, values))
        db.session.commit()
    elif db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("SET synchronous_commit TO OFF"))
            # Straight to the driver, a statement prepared once per set of columns:
            # building and compiling an UPDATE through SQLAlchemy for every message
            # cost more than the round trip itself.
            cursor = connection.connection.driver_connection.cursor()
            try:
                yield lambda message_id, **values: cursor.execute(
                    _mark_sql(tuple(values)), (*values.values(), message_id),
                    prepare=True)
            finally:
                cursor.close()
                connection.execute(text("RESET synchronous_commit"))
    else:
        yield _mark_now


def _send_claimed(message, reason: str | None, mark=_mark_now) -> str:
    """Send one claimed message (a row of outbox_messages) unless `reason` says it no
    longer applies, and mark the outcome."""
    if reason:
        mark(message.id, status=CANCELLED, last_error=reason[:500])
        return "cancelled"
    try:
        mailer.send(message)
    except mailer.PermanentMailError as exc:
        mark(message.id, status=FAILED, last_error=str(exc))
        current_app.logger.warning("message %s refused for good", message.id)
        return "failed"
    except mailer.TemporaryMailError as exc:
        if message.attempts >= MAX_ATTEMPTS:
            mark(message.id, status=FAILED, last_error=str(exc))
        else:
            mark(message.id, status=PENDING, last_error=str(exc),
                 due_at=now_utc() + backoff(message.attempts))
        current_app.logger.warning("message %s not sent (attempt %s)", message.id,
                                   message.attempts)
        return "retry" if message.attempts < MAX_ATTEMPTS else "failed"
    if message.kind == "sign-in":
        # The link is single-use and short-lived; keep no copy of it once it is out.
        text_body = html_body = "(sign-in link removed after sending)"
    else:  # invitations and other mail keep their text, not a working sign-in link
        text_body = remove_signin_links(message.body_text)
        html_body = remove_signin_links(message.body_html)
    mark(message.id, status=SENT, sent_at=now_utc(), last_error=None,
         body_text=text_body, body_html=html_body)
    return "sent"


def remove_signin_links(body: str | None) -> str | None:
    return _SIGNIN_TOKEN.sub(r"\1(removed-after-sending)", body) if body else body


def release_stuck() -> int:
    """Return rows left in `sending` by a worker that died to `pending`."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == SENDING,
               OutboxMessage.claimed_at < now_utc() - STUCK_AFTER)
        .values(status=PENDING)
    )
    db.session.commit()
    return result.rowcount


def count_due() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == PENDING, OutboxMessage.due_at <= now_utc())) or 0


def due_message_ids(limit: int = 500) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now_utc()))
        .order_by(OutboxMessage.due_at).limit(limit)
    ))


def deliver_due() -> dict[str, int]:
    """Send everything due, in this process (used by tests and the CLI)."""
    counts: dict[str, int] = {}
    while True:
        batch = deliver_batch()
        for outcome, n in batch.items():
            counts[outcome] = counts.get(outcome, 0) + n
        if sum(batch.values()) < 100:
            return counts
