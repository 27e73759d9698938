"""Thin task entry point around wellbeing.reminders.planner."""
from celery import shared_task

from wellbeing.core.timeutil import now_utc
from wellbeing.reminders import planner


@shared_task(name="wellbeing.plan_due_messages")
def plan_due_messages() -> dict:
    return planner.plan_due_messages(now_utc())
