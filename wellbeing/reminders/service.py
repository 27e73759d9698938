"""Wiring reminders into the areas below them, once, when the app loads."""
from ..cohorts import hooks
from . import checks, planner


def _replan(cohort, now) -> None:
    planner.plan_cohort(cohort, now)


def init() -> None:
    checks.register()
    hooks.on_schedule_change(_replan)
