"""Hostile uploads to the two file inputs (the enrollment CSV and a practice recording):
over the size limit, binary, or text in another encoding. Each gets a clear message on
the same page, with its form, never a bare 413, a stack trace or a browser error page
(tried over real HTTP in Chromium too: a server that answers before reading a large
body can leave the browser with a reset connection instead of the answer)."""
import datetime as dt
import io
import os

import pytest
from playwright.sync_api import expect

from wellbeing.auth.models import ADMIN

HEADER = "email,name,department,time zone\n"
ROWS = "jose@acme.example.com,José Núñez,Compras,Europe/Madrid\n"
UNREADABLE = {
    "latin-1 (an older Excel)": (HEADER + ROWS).encode("latin-1"),
    "UTF-16 (Excel's Unicode text)": (HEADER + ROWS).encode("utf-16"),
    "UTF-16 without its mark": (HEADER + ROWS).encode("utf-16-le"),
    "an Excel workbook": b"PK\x03\x04" + os.urandom(2000),
    "a PNG picture": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000),
    "random bytes": os.urandom(4000),
    "empty": b"",
}


@pytest.fixture
def hr(client, login, make_user, make_cohort, org):
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    login(client, make_user(ADMIN, org=org))
    return cohort


def _upload(client, cohort, data: bytes, name="people.csv"):
    return client.post(f"/cohorts/{cohort.id}/imports",
                       data={"csv-file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("kind", UNREADABLE)
def test_a_csv_that_cannot_be_read_is_explained_on_the_enroll_page(client, hr, kind):
    response = _upload(client, hr, UNREADABLE[kind])
    page = response.get_data(as_text=True)
    assert response.status_code == 400, kind
    assert "Traceback" not in page
    assert "CSV UTF-8" in page or "Choose" in page or "empty" in page, page[-3000:]
    assert 'id="csv-file"' in page and 'id="one-email"' in page  # both forms, to go on


def test_a_latin_1_file_names_the_line_to_look_at(client, hr):
    page = _upload(client, hr, UNREADABLE["latin-1 (an older Excel)"]).get_data(as_text=True)
    assert "line 2" in page and "people.csv" in page


def test_a_csv_over_the_request_limit_is_explained_on_the_enroll_page(
        client, hr, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = _upload(client, hr, (HEADER + ROWS * 3000).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is larger than" in page and 'id="csv-file"' in page


@pytest.fixture
def practice_slug(app):
    from wellbeing.course.service import practice_library
    return next(iter(practice_library()))


@pytest.mark.parametrize("data, name", [
    (b"ID3" + b"\x00" * 10, "empty.txt"),  # an MP3 header is what counts, not the name
    ((HEADER + ROWS).encode("utf-16"), "practice.mp3"),
    (b"<html><script>alert(1)</script></html>", "practice.mp3"),
    (b"%PDF-1.7\n" + os.urandom(3000), "practice.m4a"),
], ids=["mp3-named-txt", "utf16-named-mp3", "html-named-mp3", "pdf-named-m4a"])
def test_a_recording_is_judged_by_its_bytes(client, login, make_user, org, practice_slug,
                                           data, name):
    login(client, make_user(ADMIN, org=org))
    response = client.post(f"/course/recordings/{practice_slug}",
                           data={"audio": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    if data.startswith(b"ID3"):
        assert response.status_code == 302  # a real MP3 header, whatever the name says
        played = client.get(f"/course/recordings/{practice_slug}/audio")
        assert played.mimetype == "audio/mpeg"
        assert played.headers["X-Content-Type-Options"] == "nosniff"
        return
    assert response.status_code == 400
    assert "is not an audio file we can play" in page and 'type="file"' in page


def test_a_recording_over_the_request_limit_is_explained_on_its_page(
        client, login, make_user, org, practice_slug, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    login(client, make_user(ADMIN, org=org))
    response = client.post(f"/course/recordings/{practice_slug}",
                           data={"audio": (io.BytesIO(b"ID3" + os.urandom(400_000)), "a.mp3")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "That file is larger than" in page and 'type="file"' in page


def _sign_in(page, user):
    from wellbeing.auth.service import issue_link
    from wellbeing.extensions import db
    token = issue_link(user)
    db.session.commit()
    page.goto(f"/signin/link/{token}")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to Wellbeing").click()


@pytest.mark.browser
def test_oversized_files_over_real_http_show_the_message_in_chromium(
        page, app, monkeypatch, make_user, make_cohort, org, practice_slug):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    cohort = make_cohort(org=org, start=dt.date.today() + dt.timedelta(days=20))
    _sign_in(page, make_user(ADMIN, org=org))
    page.goto(f"/cohorts/{cohort.id}/enroll")
    page.set_input_files("#csv-file", files=[{
        "name": "everyone.csv", "mimeType": "text/csv",
        "buffer": (HEADER + ROWS * 40_000).encode()}])  # about 2 MB
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Check the file").click()
    assert answer.value.status == 413
    expect(page.get_by_text("The file is larger than")).to_be_visible()
    expect(page.locator("#csv-file")).to_be_visible()

    page.goto(f"/course/recordings/{practice_slug}")
    page.set_input_files("input[type=file]", files=[{
        "name": "long.mp3", "mimeType": "audio/mpeg", "buffer": b"ID3" + os.urandom(2_000_000)}])
    with page.expect_navigation() as answer:
        page.locator("form button[type=submit]").last.click()
    assert answer.value.status == 413
    expect(page.get_by_text("That file is larger than")).to_be_visible()


def test_bare_mpeg_audio_is_still_recognised_by_its_frames():
    from wellbeing.course.recordings import sniff
    frame = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
    assert len(frame) == 417
    assert sniff(frame * 3) == "audio/mpeg"
    assert sniff((HEADER + ROWS).encode("utf-16")) is None  # FF FE, then no second frame
