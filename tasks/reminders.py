"""Thin task entry point around wellbeing.reminders.planner."""
from celery import shared_task

from wellbeing.core import heartbeats
from wellbeing.core.timeutil import now_utc
from wellbeing.reminders import planner


@shared_task(name="wellbeing.plan_due_messages")
def plan_due_messages() -> dict:
    counts = planner.plan_due_messages(now_utc())
    heartbeats.record(heartbeats.PLANNER)  # for /metrics: the planner ran to the end
    return counts
