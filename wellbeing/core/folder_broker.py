"""The embedded Celery broker: kombu's filesystem transport, with messages that appear
in the queue folder only when they are complete.

kombu creates a message file under its final name and then writes into it, so a worker
listing the folder at that moment reads an empty or half-written file, fails to parse it
and stops (kombu issue 1551). Here the message is written to "<name>.msg.part" and
renamed into place (a rename within one folder is atomic), so the reader must ignore
".part" files: kombu >= 5.7 does, taking only names of the form "<stamp>.<queue>.msg",
while older kombu takes any name containing ".<queue>.msg", the half-written one too.
"""
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # The reader takes only files named "<stamp>.<queue>.msg"; this one ends in .part.
        partial = final + ".part"
        body = str_to_bytes(dumps(payload))
        try:
            with open(partial, "wb") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
