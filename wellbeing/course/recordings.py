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


def sniff(data: bytes) -> str | None:
    """The audio type these bytes really are, or None: MP3, M4A/AAC, Ogg, WAV or WebM."""
    head = data[:16]
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF
                                   and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
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
