"""Periodic clean-up of personal data the product no longer needs."""
from celery import shared_task

from wellbeing.cohorts.enrollment import purge_previews
from wellbeing.core.timeutil import now_utc
from wellbeing.surveys.release import release_closed_waves


@shared_task(name="wellbeing.purge_import_previews")
def purge_import_previews() -> int:
    return purge_previews(now_utc())


@shared_task(name="wellbeing.release_answers")
def release_survey_answers() -> int:
    return release_closed_waves(now_utc())
