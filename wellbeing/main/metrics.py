"""What an operator watches without reading logs: how late the mail is, how much went
out or failed in the last hour, how deep the queues are, when beat and the planner last
ran, and whether the database and broker answer. Read from the database and the broker
at each look, so every web process reports the same figures.

Served as Prometheus metrics on /metrics and inside /healthz, only to the networks in
METRICS_ALLOW_FROM (loopback by default) or to a request bearing METRICS_TOKEN."""
import datetime as dt
import hmac

from flask import current_app, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from ..core.access import from_networks
from ..core.heartbeats import BEAT, PLANNER, last_runs
from ..core.timeutil import now_utc
from ..extensions import db
from ..notifications.models import FAILED, PENDING, SENT, OutboxMessage
from .health import check_broker, check_database

HOUR = dt.timedelta(hours=1)
QUEUES = ("urgent", "celery")


def allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return from_networks(current_app.config["METRICS_ALLOW_FROM"])


def gather() -> dict:
    """Every figure, as plain values (None where it cannot be known)."""
    now = now_utc()
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    figures = {"database_up": db_ok, "broker_up": broker_ok}
    figures.update(_from_database(lambda: _outbox(now), {}) if db_ok else {})
    figures["broker_queue_messages"] = _queue_depths() if broker_ok else None
    runs = _from_database(last_runs, {}) if db_ok else {}
    for name in (BEAT, PLANNER):
        at = runs.get(name)
        figures[f"{name}_last_run"] = at.isoformat() if at else None
        figures[f"{name}_age_seconds"] = (now - at).total_seconds() if at else None
    return figures


def _from_database(read, otherwise):
    """A figure the database cannot give (a schema not migrated yet) is left out: the
    health answer must still come."""
    try:
        return read()
    except Exception:  # noqa: BLE001
        db.session.rollback()
        current_app.logger.warning("a figure for /metrics could not be read", exc_info=True)
        return otherwise


def _outbox(now: dt.datetime) -> dict:
    due = (OutboxMessage.status == PENDING, OutboxMessage.due_at <= now)
    count, oldest = db.session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.due_at)).where(*due)).one()
    if isinstance(oldest, dt.datetime) and oldest.tzinfo is None:  # SQLite's aggregate
        oldest = oldest.replace(tzinfo=dt.UTC)
    sent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == SENT, OutboxMessage.sent_at > now - HOUR))
    # A message fails at the end of its last attempt, moments after that attempt's claim.
    failed = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == FAILED, OutboxMessage.claimed_at > now - HOUR))
    return {"oldest_due_message_age_seconds":
            max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
            "due_messages": count, "mail_sent_last_hour": sent,
            "mail_failed_last_hour": failed}


def _queue_depths() -> dict[str, int] | None:
    """Tasks waiting in each broker queue (a folder's files, or a Redis list)."""
    celery = current_app.extensions["celery"]
    depths = {}
    try:
        with celery.connection_for_read() as connection:
            channel = connection.default_channel
            for queue in QUEUES:
                try:
                    depths[queue] = channel.queue_declare(queue=queue,
                                                          passive=True).message_count
                except Exception as exc:  # noqa: BLE001
                    if str(getattr(exc, "reply_code", "")) != "404":  # Redis: no list yet
                        raise
                    depths[queue] = 0
    except Exception:  # noqa: BLE001 - the broker stopped answering meanwhile
        current_app.logger.warning("queue depths could not be read", exc_info=True)
        return None
    return depths


def _gauge(name, text, value, labels=None):
    family = GaugeMetricFamily(f"wellbeing_{name}", text, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), float(value))
    return family


class _Collector:
    def __init__(self, figures: dict):
        self.figures = figures

    def collect(self):
        f = self.figures
        yield _gauge("database_up", "1 if the database answers", f["database_up"])
        yield _gauge("broker_up", "1 if the task broker answers", f["broker_up"])
        if "due_messages" in f:
            yield _gauge("outbox_oldest_due_age_seconds", "How long the oldest email that "
                         "is due has waited to be sent", f["oldest_due_message_age_seconds"])
            yield _gauge("outbox_due_messages", "Emails due and not yet sent",
                         f["due_messages"])
            yield _gauge("mail_sent_last_hour", "Emails sent in the last hour",
                         f["mail_sent_last_hour"])
            yield _gauge("mail_failed_last_hour", "Emails that failed for good in the "
                         "last hour", f["mail_failed_last_hour"])
        if f["broker_queue_messages"] is not None:
            family = GaugeMetricFamily("wellbeing_broker_queue_messages",
                                       "Tasks waiting in each broker queue", labels=["queue"])
            for queue, depth in f["broker_queue_messages"].items():
                family.add_metric([queue], depth)
            yield family
        last = GaugeMetricFamily("wellbeing_last_run_timestamp_seconds",
                                 "When beat and the reminder planner last ran (Unix time)",
                                 labels=["process"])
        age = GaugeMetricFamily("wellbeing_last_run_age_seconds",
                                "Seconds since beat and the reminder planner last ran",
                                labels=["process"])
        for name in (BEAT, PLANNER):
            if f[f"{name}_last_run"]:
                at = dt.datetime.fromisoformat(f[f"{name}_last_run"])
                last.add_metric([name], at.timestamp())
                age.add_metric([name], f[f"{name}_age_seconds"])
        yield last
        yield age


def exposition(figures: dict) -> bytes:
    """The figures in Prometheus' text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(figures))
    return generate_latest(registry)
