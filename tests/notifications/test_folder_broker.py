"""The embedded broker (a folder) never hands a worker half a message: kombu's own
filesystem transport creates the file before writing it, and a worker that listed the
folder at that moment crashed on the empty file and took `wellbeing run` down with it."""
import threading

import pytest
from kombu import Connection

from wellbeing.core.folder_broker import Transport


@pytest.fixture
def channels(tmp_path):
    options = {"data_folder_in": str(tmp_path / "queue"),
               "data_folder_out": str(tmp_path / "queue"),
               "control_folder": str(tmp_path / "control"),
               "processed_folder": str(tmp_path / "processed")}
    (tmp_path / "queue").mkdir()
    writer = Connection(transport=Transport, transport_options=options)
    reader = Connection(transport=Transport, transport_options=options)
    yield writer.default_channel, reader.default_channel
    writer.release()
    reader.release()


class _ReadsWhileWritten:
    """Serialised as part of the message: at that moment a worker polls the queue."""

    def __init__(self, reader):
        self.reader, self.seen = reader, "not polled"

    def __json__(self):
        try:
            self.seen = self.reader._get("celery")
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            self.seen = exc
        return "payload"


def test_a_message_being_written_is_invisible_to_the_worker(channels):
    writer, reader = channels
    probe = _ReadsWhileWritten(reader)
    writer._put("celery", {"body": probe})
    assert type(probe.seen).__name__ == "Empty", probe.seen
    assert reader._get("celery") == {"body": "payload"}


def test_concurrent_writes_and_reads_lose_and_break_nothing(channels):
    writer, reader = channels
    sent = [{"n": n, "body": "x" * 50_000} for n in range(200)]
    received, errors = [], []

    def consume():
        while len(received) < len(sent) and not errors:
            try:
                received.append(reader._get("celery"))
            except Exception as exc:  # noqa: BLE001
                if type(exc).__name__ != "Empty":
                    errors.append(exc)

    thread = threading.Thread(target=consume)
    thread.start()
    for message in sent:
        writer._put("celery", message)
    thread.join(timeout=60)
    assert not errors
    assert sorted(m["n"] for m in received) == list(range(200))
    assert all(m["body"] == "x" * 50_000 for m in received)
