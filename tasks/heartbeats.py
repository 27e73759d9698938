"""Beat's heartbeat: the beat process records each task it sends (and its start), so
/metrics and /healthz show when it last ran. Only the beat process listens: web and
workers publish tasks too."""
import logging

from celery.signals import beat_init, before_task_publish

from wellbeing.core import heartbeats

from .celery_app import flask_app

log = logging.getLogger(__name__)


@beat_init.connect
def _beat_started(**_):
    _record()
    before_task_publish.connect(_beat_sent_a_task, weak=False)


def _beat_sent_a_task(**_):
    _record()


def _record():
    # A database that does not answer must not stop beat from sending; the stale
    # heartbeat is then what tells the operator.
    try:
        with flask_app.app_context():
            heartbeats.record(heartbeats.BEAT)
    except Exception:  # noqa: BLE001
        log.warning("could not record beat's heartbeat", exc_info=True)
