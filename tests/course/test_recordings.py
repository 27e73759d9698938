"""An organisation's own recordings: checked by their bytes and size, served with the
right headers, only to people signed in to that organisation, offered first."""
import io

import pytest
from sqlalchemy import select

from tests.course.conftest import at
from wellbeing.audit.models import AuditEvent
from wellbeing.course.models import PracticeRecording
from wellbeing.extensions import db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(range(256)) * 8
OGG = b"OggS\x00\x02" + bytes(600)
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(600)
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + bytes(600)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(600)


def upload(client, data: bytes, name: str, slug="self-compassion-break", mimetype="audio/mpeg"):
    return client.post(f"/course/recordings/{slug}", content_type="multipart/form-data",
                       data={"audio": (io.BytesIO(data), name, mimetype)})


@pytest.fixture
def staff(app, login, admin):
    client = app.test_client()
    login(client, admin)
    return client


@pytest.mark.parametrize("data, name, kind", [
    (MP3, "break.mp3", "audio/mpeg"), (OGG, "break.ogg", "audio/ogg"),
    (WAV, "break.wav", "audio/wav"), (M4A, "break.m4a", "audio/mp4"),
    # The name and the browser's label do not decide: the bytes do.
    (OGG, "break.mp3", "audio/ogg"),
])
def test_an_audio_file_is_stored_with_the_type_its_bytes_show(staff, data, name, kind):
    response = upload(staff, data, name)
    assert response.status_code == 302
    row = db.session.scalar(select(PracticeRecording))
    assert (row.content_type, row.size, row.audio) == (kind, len(data), data)
    assert db.session.scalar(select(AuditEvent).filter_by(
        action="course.recording_uploaded")) is not None


@pytest.mark.parametrize("data, name, message", [
    (PNG, "picture.mp3", "picture.mp3 is not an audio file we can play (whatever its name"),
    (b"<script>alert(1)</script>" * 40, "sneaky.mp3", "sneaky.mp3 is not an audio file"),
    (b"just some notes", "notes.wav", "notes.wav is not an audio file"),
    (b"", "empty.mp3", "empty.mp3 is empty."),
])
def test_wrong_content_is_refused_whatever_the_name(staff, data, name, message):
    response = upload(staff, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticeRecording)) is None


def test_no_file_is_asked_for(staff):
    response = staff.post("/course/recordings/self-compassion-break", data={})
    assert response.status_code == 400
    assert "Choose an audio file to upload." in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_the_limit(staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_RECORDING_BYTES", 1024 * 1024)
    big = MP3 + bytes(1024 * 1024)
    response = upload(staff, big, "long.mp3")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "long.mp3 is larger than 1.0 MB" in text and "64 kbit/s mono" in text
    assert db.session.scalar(select(PracticeRecording)) is None
    # Over the whole request limit: the form explains it too, not a bare error page.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 512 * 1024)
    response = upload(staff, big, "long.mp3")
    assert response.status_code == 413
    assert "That file is larger than" in response.get_data(as_text=True)


def test_only_admins_upload(signed_in, client, login, facilitator):
    assert upload(signed_in, MP3, "a.mp3").status_code == 403
    login(client, facilitator)
    assert upload(client, MP3, "a.mp3").status_code == 403
    assert client.get("/course/recordings").status_code == 403


def test_served_with_type_length_and_nosniff_to_its_organisation_only(
        staff, signed_in, app, login, make_org, make_user, travel):
    travel(at(2026, 3, 3, 12))
    assert upload(staff, MP3, "break.mp3").status_code == 302
    response = signed_in.get("/course/recordings/self-compassion-break/audio")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "audio/mpeg"
    assert response.headers["Content-Length"] == str(len(MP3))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == MP3
    part = signed_in.get("/course/recordings/self-compassion-break/audio",
                         headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.data == MP3[:10]
    assert part.headers["Content-Length"] == "10"
    # The practice page offers it before the step-by-step player.
    page = signed_in.get("/course/weeks/1/practices/self-compassion-break").get_data(
        as_text=True)
    assert page.index("Your facilitator's recording") < page.index('id="player"')
    assert "Or follow the steps" in page
    assert "facilitator's recording" not in signed_in.get(
        "/course/weeks/1/practices/supportive-touch").get_data(as_text=True)
    # Someone from another organisation, or nobody, gets nothing.
    stranger = app.test_client()
    login(stranger, make_user(org=make_org()))
    assert stranger.get("/course/recordings/self-compassion-break/audio").status_code == 404
    anonymous = app.test_client().get("/course/recordings/self-compassion-break/audio")
    assert anonymous.status_code in (302, 401) and anonymous.data != MP3


def test_an_admin_removes_a_recording(staff):
    upload(staff, MP3, "break.mp3")
    assert "Yours, 0.0 MB" in staff.get("/course/recordings").get_data(as_text=True)
    assert staff.post("/course/recordings/self-compassion-break/delete").status_code == 302
    assert db.session.scalar(select(PracticeRecording)) is None
    assert staff.get("/course/recordings/self-compassion-break/audio").status_code == 404
