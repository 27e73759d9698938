"""Periodic clean-up of personal data the product no longer needs, and the survey steps
that follow a wave's close (answers leave their seal, the staff count is kept)."""
from celery import shared_task

from wellbeing.cohorts.enrollment import purge_previews
from wellbeing.core.timeutil import now_utc
from wellbeing.outcomes.snapshots import take_all_due as take_outcome_snapshots
from wellbeing.surveys.release import release_closed_waves
from wellbeing.surveys.snapshots import take_all_due


@shared_task(name="wellbeing.purge_import_previews")
def purge_import_previews() -> int:
    return purge_previews(now_utc())


@shared_task(name="wellbeing.release_answers")
def release_survey_answers() -> int:
    return release_closed_waves(now_utc())


@shared_task(name="wellbeing.snapshot_closed_waves")
def snapshot_closed_waves() -> int:
    """Keep the count of every survey wave that has closed (staff pages take a missing one
    themselves; this makes sure it is taken close to the close)."""
    return take_all_due(now_utc())


@shared_task(name="wellbeing.snapshot_closed_outcomes")
def snapshot_closed_outcomes() -> int:
    """Keep each cohort's outcome aggregates once its survey after the course closes
    (the dashboards take a missing one themselves)."""
    return take_outcome_snapshots(now_utc())
