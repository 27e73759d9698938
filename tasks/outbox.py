"""Thin task entry points around wellbeing.notifications.delivery."""
import time

from celery import shared_task

from wellbeing.notifications import delivery

BATCH = 100
# A batch task keeps claiming batches for this long, then queues its successor: on the
# folder broker (polled once a second) a task per batch would cap the embedded profile
# near 100 a second, while an urgent message still waits at most this long.
SLICE_SECONDS = 2.0
# Batch chains the sweep starts at most: enough for a few worker processes to share a
# backlog; each chain claims its own rows.
CHAINS = 4


@shared_task(name="wellbeing.deliver", acks_late=True)
def deliver(message_id: int) -> str:
    return delivery.deliver(message_id)


@shared_task(name="wellbeing.deliver_batch", acks_late=True)
def deliver_batch() -> dict:
    """Claim and send up to BATCH due messages over one SMTP connection. A full batch
    means more are waiting: the next batch is queued behind whatever else arrived
    meanwhile (an urgent sign-in link never waits for the whole backlog)."""
    deadline = time.monotonic() + SLICE_SECONDS
    totals: dict[str, int] = {}
    while True:
        counts = delivery.deliver_batch(BATCH)
        for outcome, n in counts.items():
            totals[outcome] = totals.get(outcome, 0) + n
        if sum(counts.values()) < BATCH:
            return totals
        if time.monotonic() >= deadline:
            deliver_batch.delay()
            return totals


@shared_task(name="wellbeing.sweep_outbox")
def sweep_outbox() -> dict:
    """Release rows a dead worker left in `sending`, then start batch chains for
    everything due (messages scheduled for later, retries after backoff, enqueues that
    failed)."""
    released = delivery.release_stuck()
    due = delivery.count_due()
    chains = min(-(-due // BATCH), CHAINS)
    for _ in range(chains):
        deliver_batch.delay()
    return {"released": released, "due": due, "chains": chains}
