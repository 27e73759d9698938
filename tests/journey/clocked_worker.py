"""`celery -A tasks worker` on the test's clock: the journey moves time through eight
weeks, and the worker must see the same moments as the web app it shares a database
with (an outbox row due at 09:00 local is claimed only when the worker's clock says so).

Run as `python -m tests.journey.clocked_worker CLOCK_FILE celery-args...`, with
WORKER_QUEUE and WORKER_URGENT_QUEUE naming the queues the test's app sends to (so no
other worker of the same test session, on the real clock, takes its tasks). The clock file
holds an ISO instant; whenever it changes, this process's clock jumps there (and runs on
from it), then the instant is written to CLOCK_FILE.ack so the test knows it is in force.
Nothing in the worker is replaced: only the clock is moved, as time-machine moves the
test's own."""
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

import time_machine


def _follow(clock: Path, traveller, seen: str) -> None:
    while True:
        try:
            wanted = clock.read_text().strip()
        except FileNotFoundError:
            wanted = None
        if wanted and wanted != seen:
            traveller.move_to(dt.datetime.fromisoformat(wanted))
            seen = wanted
            clock.with_suffix(".ack").write_text(wanted)
        time.sleep(0.02)  # time.sleep is real time: time-machine leaves it alone


def main() -> None:
    clock = Path(sys.argv[1])
    first = clock.read_text().strip()
    traveller = time_machine.travel(dt.datetime.fromisoformat(first), tick=True).start()
    clock.with_suffix(".ack").write_text(first)
    threading.Thread(target=_follow, args=(clock, traveller, first), daemon=True).start()
    from tasks.celery_app import celery, flask_app
    celery.conf.task_default_queue = os.environ["WORKER_QUEUE"]
    flask_app.config["URGENT_QUEUE"] = os.environ["WORKER_URGENT_QUEUE"]
    from celery.bin.celery import main as celery_main
    sys.argv = ["celery", *sys.argv[2:]]
    celery_main()


if __name__ == "__main__":
    main()
