"""An organisation's own recordings of the practices: checked by their bytes (never by the
file's name or the browser's word for it), kept in the database with the org's text."""
from flask import current_app

from ..core.tenancy import org_select
from ..extensions import db
from .models import PracticeRecording

# Below the request limit (MAX_UPLOAD_BYTES, 5 MB by default) so that the form, not a bare
# error page, explains a file that is too large. About 8 minutes of speech at 64 kbit/s.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024


def max_bytes() -> int:
    limit = current_app.config.get("MAX_RECORDING_BYTES", DEFAULT_MAX_BYTES)
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return min(limit, request_limit - 64 * 1024) if request_limit else limit


# MPEG audio frame headers: kbit/s by (MPEG-1?, layer bits) and sample rates by version.
_KBITS = {
    (True, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_KBITS[(False, 1)] = _KBITS[(False, 2)]
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _frame_length(header: bytes) -> int | None:
    """The length of the MPEG audio frame this 4-byte header starts, or None if it is no
    frame header (reserved version, layer, bit rate or sample rate)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    rate_index, sample_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer == 0 or rate_index in (0, 15) or sample_index == 3:
        return None
    kbits = _KBITS[(version == 3, layer)][rate_index]
    rate, padding = _RATES[version][sample_index], (header[2] >> 1) & 1
    if layer == 3:  # Layer I
        return (12 * kbits * 1000 // rate + padding) * 4
    per_frame = 144 if version == 3 or layer == 2 else 72
    return per_frame * kbits * 1000 // rate + padding


def _mpeg_frames(data: bytes) -> bool:
    """Bare MPEG audio (no ID3 tag): two frame headers in a row, the second where the
    first says. One header alone is too weak: a UTF-16 text file starts FF FE."""
    first = _frame_length(data[:4])
    return first is not None and _frame_length(data[first:first + 4]) is not None


def sniff(data: bytes) -> str | None:
    """The audio type these bytes really are, or None: MP3, M4A/AAC, Ogg, WAV or WebM."""
    head = data[:16]
    if head.startswith(b"ID3") or _mpeg_frames(data):
        return "audio/mpeg"
    if head[4:8] == b"ftyp" and head[8:12] in (b"M4A ", b"M4B ", b"mp42", b"isom", b"mp41"):
        return "audio/mp4"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    return None


def all_own() -> dict[str, PracticeRecording]:
    """The signed-in person's organisation's recordings, by practice (audio not loaded)."""
    return {r.slug: r for r in db.session.scalars(org_select(PracticeRecording))}


def own(slug: str) -> PracticeRecording | None:
    """The signed-in person's organisation's recording of one practice, if any."""
    return db.session.scalar(org_select(PracticeRecording, PracticeRecording.slug == slug))


def save(org_id: int, slug: str, data: bytes, content_type: str, user_id: int):
    row = own(slug) or PracticeRecording(org_id=org_id, slug=slug)
    row.audio, row.content_type, row.size = data, content_type, len(data)
    row.uploaded_by_id = user_id
    db.session.add(row)
    db.session.flush()
    return row
