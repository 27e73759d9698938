"""The journey's moving clock, shared by the test (and so the web app it serves) and a
real Celery worker, and beat's ticks sent to that worker as beat sends them."""
import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from celery import Celery

from tasks.schedule import BEAT_SCHEDULE
from tests.services import start_worker, stop_worker


@dataclass
class Clock:
    """One instant for the test and its worker: `move(moment)` jumps both there (the
    worker first, so it is never behind a row the app has just made due)."""
    file: Path
    traveller: object

    def move(self, moment: dt.datetime) -> None:
        text = moment.astimezone(dt.UTC).isoformat()
        partial = self.file.with_name(self.file.name + ".new")
        partial.write_text(text)
        partial.replace(self.file)
        ack = self.file.with_suffix(".ack")
        deadline = time.monotonic() + 10
        while not (ack.exists() and ack.read_text() == text):
            assert time.monotonic() < deadline, "the worker's clock did not follow"
            time.sleep(0.02)
        self.traveller.move_to(moment)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass
class Worker:
    celery: Celery
    queue: str
    log: Path

    def beat(self, timeout: float = 30) -> None:
        """One tick of beat: every task of its schedule sent by name, as beat sends them;
        returns when the worker has run them all."""
        began = time.monotonic()
        ids = [self.celery.send_task(entry["task"], queue=self.queue).id
               for entry in BEAT_SCHEDULE.values()]
        self.wait_for(ids, timeout)
        print(f"beat tick: {time.monotonic() - began:.1f} s")

    def wait_for(self, task_ids: list[str], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            text = self.log.read_text()
            failed = [i for i in task_ids if re.search(rf"\[{i}\] raised", text)]
            assert not failed, text[-3000:]
            if all(f"[{i}] succeeded" in text for i in task_ids):
                return
            assert time.monotonic() < deadline, "beat's tasks did not run:\n" + text[-3000:]
            time.sleep(0.05)


def start_clock(instance_dir: Path, moment: dt.datetime):
    file = instance_dir / f"clock-{uuid.uuid4().hex}"
    file.write_text(moment.astimezone(dt.UTC).isoformat())
    traveller = time_machine.travel(moment, tick=True)
    return file, traveller


@pytest.fixture
def journey_clock(request, instance_dir):
    """Starts at the test module's JOURNEY_STARTS."""
    moment = request.module.JOURNEY_STARTS
    file, travel = start_clock(instance_dir, moment)
    clock = Clock(file, travel.start())
    yield clock
    travel.stop()


@pytest.fixture
def clocked_worker(app, journey_clock, _smtp_session, instance_dir, monkeypatch):
    """A real worker on the journey's clock, on queues of its own: a worker of another
    test in this session, on the real clock, must not take this one's tasks."""
    queue = f"journey-{uuid.uuid4().hex}"
    celery = Celery("journey")
    celery.config_from_object(app.config["CELERY"])
    celery.conf.task_default_queue = queue
    monkeypatch.setitem(app.extensions, "celery", celery)
    monkeypatch.setitem(app.config, "URGENT_QUEUE", f"{queue}-urgent")
    monkeypatch.setitem(app.config, "ENQUEUE_AFTER_COMMIT", True)
    log = f"{queue}.log"
    process = start_worker(
        app, _smtp_session.port, instance_dir, log_name=log,
        queues=f"{queue}-urgent,{queue}",
        launcher=("-m", "tests.journey.clocked_worker", str(journey_clock.file)),
        extra_env={"WORKER_QUEUE": queue, "WORKER_URGENT_QUEUE": f"{queue}-urgent"})
    yield Worker(celery, queue, instance_dir / log)
    stop_worker(process)
    with celery.connection_for_write() as connection:
        for name in (queue, f"{queue}-urgent"):
            connection.SimpleQueue(name).queue.delete()
