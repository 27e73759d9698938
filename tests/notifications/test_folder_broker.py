"""The embedded broker (a folder) never hands a worker half a message: kombu's own
filesystem transport creates the file before writing it, and a worker that listed the
folder at that moment crashed on the empty file and took `wellbeing run` down with it."""
import builtins
import os
import threading
from queue import Empty

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


class _StopsHalfway:
    """A file being written into the queue folder: each write puts the first half of its
    bytes on disk, runs `meanwhile` (the writer is stopped right there), then the rest."""

    def __init__(self, file, meanwhile):
        self._file, self._meanwhile = file, meanwhile

    def write(self, data):
        half = len(data) // 2
        written = self._file.write(data[:half])
        self._file.flush()
        self._meanwhile()
        return written + self._file.write(data[half:])

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return self._file.__exit__(*exc_info)


def _stop_writes_halfway(monkeypatch, folder, meanwhile):
    """Patches open() itself rather than the broker module, so the test drives whichever
    _put is in use, this module's or kombu's own."""
    real_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        if (isinstance(file, str | os.PathLike) and "w" in mode
                and os.path.dirname(os.fspath(file)) == folder):
            return _StopsHalfway(opened, meanwhile)
        return opened

    monkeypatch.setattr(builtins, "open", open_)


def test_a_message_still_being_written_is_left_for_later_and_then_delivered_whole(
        channels, monkeypatch):
    writer, reader = channels
    message = {"task": "send_email", "body": "x" * 10_000}
    polled_mid_write = []

    def worker_polls():
        try:
            polled_mid_write.append(reader._get("celery"))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            polled_mid_write.append(type(exc).__name__)

    with monkeypatch.context() as patch:
        _stop_writes_halfway(patch, writer.data_folder_out, worker_polls)
        writer._put("celery", message)

    assert polled_mid_write == ["Empty"]
    assert reader._get("celery") == message
    with pytest.raises(Empty):
        reader._get("celery")


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
