"""Is the system able to do its work? Database and broker, each checked for real."""
import os
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from ..extensions import db


def check_database() -> tuple[bool, str]:
    try:
        db.session.execute(text("SELECT 1"))
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        db.session.rollback()
        return False, type(exc).__name__


def check_broker() -> tuple[bool, str]:
    celery = current_app.extensions["celery"]
    if str(celery.conf.broker_url).startswith("filesystem"):
        # The embedded broker is a folder: it answers when the folder is writable.
        folder = Path(celery.conf.broker_transport_options["data_folder_in"])
        folder.mkdir(parents=True, exist_ok=True)
        return (True, "ok") if os.access(folder, os.W_OK) else (False, "not writable")
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
