"""Thin task entry points around wellbeing.notifications.delivery."""
from celery import shared_task

from wellbeing.notifications import delivery


@shared_task(name="wellbeing.deliver", acks_late=True)
def deliver(message_id: int) -> str:
    return delivery.deliver(message_id)


@shared_task(name="wellbeing.sweep_outbox")
def sweep_outbox() -> dict:
    """Release rows a dead worker left in `sending`, then enqueue everything due
    (messages scheduled for later, retries after backoff, enqueues that failed)."""
    released = delivery.release_stuck()
    due = delivery.due_message_ids()
    for message_id in due:
        deliver.delay(message_id)
    return {"released": released, "enqueued": len(due)}
