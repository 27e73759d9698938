"""The Celery app, built from the Flask app so every task runs in its app context."""
from wellbeing import create_app

from .schedule import BEAT_SCHEDULE

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = BEAT_SCHEDULE
celery.conf.include = ["tasks.outbox", "tasks.housekeeping", "tasks.reminders"]
app = celery
