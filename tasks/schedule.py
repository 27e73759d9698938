"""Beat runs in UTC and only on fixed intervals: local release times are computed with
zoneinfo and stored as UTC instants on the rows, never as Celery crontabs."""
BEAT_SCHEDULE = {
    "plan-due-messages": {"task": "wellbeing.plan_due_messages", "schedule": 60.0},
    "sweep-outbox": {"task": "wellbeing.sweep_outbox", "schedule": 60.0},
    "purge-import-previews": {"task": "wellbeing.purge_import_previews", "schedule": 3600.0},
    # Answers of a closed wave leave their seal within minutes (surveys/release.py).
    "release-answers": {"task": "wellbeing.release_answers", "schedule": 300.0},
    "snapshot-closed-waves": {"task": "wellbeing.snapshot_closed_waves", "schedule": 600.0},
    "snapshot-closed-outcomes": {"task": "wellbeing.snapshot_closed_outcomes",
                                 "schedule": 600.0},
}
