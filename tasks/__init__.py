"""Celery entry points: `celery -A tasks worker` and `celery -A tasks beat`."""
from . import heartbeats, housekeeping, outbox, reminders  # noqa: F401  - registers the tasks
from .celery_app import celery, flask_app  # noqa: F401
