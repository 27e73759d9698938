"""The home-practice log: validation beside the field with values kept, and the chart."""
import gzip
import json
import re

import plotly
import pytest
from sqlalchemy import func, select

from wellbeing.course.models import PracticeLog
from wellbeing.extensions import db

from .conftest import at

NOW = at(2026, 3, 17, 12)  # Tuesday of week 3


@pytest.fixture
def log(signed_in, travel):
    travel(NOW)

    def post(**fields):
        data = {"day": "2026-03-16", "practice": "soles-of-the-feet", "minutes": "15",
                "note": ""}
        data.update(fields)
        return signed_in.post("/course/practice", data=data)
    return post


def count():
    return db.session.scalar(select(func.count()).select_from(PracticeLog))


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error-1">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_a_practice_is_logged(log, signed_in):
    response = log(note="Felt calmer after")
    assert response.status_code == 302
    page = signed_in.get("/course/practice").get_data(as_text=True)
    assert "Logged 15 minutes of “Feet on the ground”." in page
    assert "Felt calmer after" in page
    assert count() == 1


def test_the_message_quotes_the_title_as_written_and_ends_on_its_question_mark(
        log, signed_in, travel):
    travel(at(2026, 4, 1, 12))  # week 5, whose practice asks a question
    log(day="2026-03-31", practice="what-do-i-need")
    page = signed_in.get("/course/practice").get_data(as_text=True)
    assert "Logged 15 minutes of “What do I need right now?”<" in page


@pytest.mark.parametrize("minutes, message", [
    ("0", "Enter between 1 and 180 minutes"),
    ("181", "Enter between 1 and 180 minutes"),
    ("-5", "Enter between 1 and 180 minutes"),
    ("ten", "Enter the minutes as a whole number, like 15."),
    ("", "Enter how many minutes you practised."),
])
def test_minutes_out_of_range_are_explained_and_kept(log, minutes, message):
    response = log(minutes=minutes, note="kept note")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in field_error(html, "minutes")
    assert f'value="{minutes}"' in html or minutes == ""
    assert "kept note" in html
    assert 'value="2026-03-16"' in html
    assert count() == 0


def test_a_date_in_the_future_is_refused(log):
    html = log(day="2026-03-18").get_data(as_text=True)
    assert "That date is in the future" in field_error(html, "day")
    assert 'value="2026-03-18"' in html
    assert count() == 0


def test_future_means_the_participants_local_date(log, participant, travel):
    participant.timezone = "Pacific/Auckland"  # 01:00 on Wednesday there
    db.session.commit()
    assert log(day="2026-03-18").status_code == 302


def test_a_date_before_the_course_is_refused(log):
    html = log(day="2026-03-01").get_data(as_text=True)
    assert "Your course started on 2 March 2026" in field_error(html, "day")
    assert count() == 0


def test_a_garbled_date_gets_a_plain_message(log):
    html = log(day="16/03/2026").get_data(as_text=True)
    assert "Enter the date as year-month-day" in field_error(html, "day")
    assert 'value="16/03/2026"' in html


def test_the_same_practice_can_be_logged_again_the_same_day(log):
    """Week 3 asks for its phrases "a few times a day": each time is an entry."""
    assert log().status_code == 302
    assert log(minutes="3", note="before the meeting").status_code == 302
    assert count() == 2


def test_the_same_form_sent_twice_stores_one_entry(log, signed_in):
    """A double-click, or the browser resending the page, logs the practice once."""
    form = signed_in.get("/course/practice").get_data(as_text=True)
    token = re.search(r'name="entry_token" type="hidden" value="([^"]+)"', form).group(1)
    for _ in range(2):
        assert log(entry_token=token).status_code == 302
    assert count() == 1
    again = signed_in.get("/course/practice").get_data(as_text=True)
    assert f'value="{token}"' not in again  # the next form is a new entry


def test_a_form_shown_again_after_a_mistake_keeps_its_token(log):
    html = log(minutes="0", entry_token="abc123").get_data(as_text=True)
    assert 'name="entry_token" type="hidden" value="abc123"' in html
    assert log(entry_token="abc123").status_code == 302 and count() == 1


def test_an_over_long_note_is_explained_and_kept(log):
    note = "calm " * 101  # 505 characters
    html = log(note=note).get_data(as_text=True)
    assert "Your note is 505 characters long; the limit is 500" in field_error(html, "note")
    assert "Please shorten it by 5 characters." in field_error(html, "note")
    assert note.strip() in html
    one_over = log(note="x" * 501).get_data(as_text=True)
    assert "Please shorten it by 1 character." in field_error(one_over, "note")
    assert count() == 0


def test_only_open_weeks_practices_can_be_chosen(log, signed_in):
    page = signed_in.get("/course/practice").get_data(as_text=True)
    assert 'label="Week 3: Words of goodwill"' in page
    assert "critic-to-coach" not in page  # week 4 is not open yet
    html = log(practice="critic-to-coach").get_data(as_text=True)
    assert field_error(html, "practice")
    assert count() == 0


def test_chart_table_and_summary_show_minutes_per_week(log, signed_in):
    log(day="2026-03-03", minutes="10")
    log(day="2026-03-04", minutes="20")
    log(day="2026-03-16", minutes="30", practice="other")
    html = signed_in.get("/course/practice").get_data(as_text=True)
    assert ("You have logged 60 minutes of practice in 3 sessions; your fullest week so "
            "far is week 1, with 30 minutes.") in html
    figure = json.loads(re.search(r'id="minutes-chart-data">(.*?)</script>', html, re.S)
                        .group(1))
    bars = figure["data"][0]
    assert bars["type"] == "bar"
    assert list(bars["x"][:3]) == ["Week 1", "Week 2", "Week 3"]
    assert list(bars["y"])[:3] == [30, 0, 30]
    assert re.search(r"<th scope=\"row\">1</th><td class=\"nowrap\">2–8 Mar</td><td>2</td>"
                     r"<td>30</td>", html)
    assert f"/course/assets/plotly-{plotly.__version__}.min.js" in html
    # Nothing is loaded from another site. (Not `"cdn" not in html`: a random form token
    # can spell it.)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_plotly_js_is_served_from_our_own_files_with_long_caching(client):
    response = client.get(f"/course/assets/plotly-{plotly.__version__}.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert b"plotly.js" in response.data[:2000]
    assert client.get("/course/assets/plotly-0.0.1.min.js").status_code == 302


def test_plotly_js_travels_compressed_to_a_browser_that_accepts_it(client):
    url = f"/course/assets/plotly-{plotly.__version__}.min.js"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    assert all("Accept-Encoding" in r.headers["Vary"] for r in (packed, plain))
    assert "immutable" in packed.headers["Cache-Control"]


def test_an_entry_can_be_deleted_only_by_its_owner(log, signed_in, client, login, make_user,
                                                   org, cohort, enroll):
    log()
    entry = db.session.scalar(select(PracticeLog))
    other = make_user(org=org)
    enroll(other, cohort)
    other_client = client.application.test_client()
    login(other_client, other)
    assert other_client.post(f"/course/practice/{entry.id}/delete").status_code == 404
    assert count() == 1
    deleted = signed_in.post(f"/course/practice/{entry.id}/delete", follow_redirects=True)
    assert count() == 0
    assert "minutes. Log it again below if that was a slip." in deleted.get_data(as_text=True)


def test_an_expired_form_token_keeps_what_was_typed(log, csrf_on):
    html = log(minutes="12", note="keep me").get_data(as_text=True)
    assert "missing its security token" in html
    assert 'value="12"' in html and "keep me" in html
    assert count() == 0


def test_log_this_practice_brings_the_practice_and_its_length(log, signed_in):
    log()  # moves the clock to week 3, where the week 2 practices are open
    practice_page = signed_in.get("/course/weeks/2/practices/soles-of-the-feet")
    link = re.search(r'href="(/course/practice\?[^"]+)">Log this practice', practice_page.get_data(
        as_text=True)).group(1).replace("&amp;", "&")
    form = signed_in.get(link).get_data(as_text=True)
    minutes = re.search(r'name="minutes"[^>]*value="(\d+)"', form) or re.search(
        r'value="(\d+)"[^>]*name="minutes"', form)
    assert minutes is not None and int(minutes.group(1)) > 0
    assert re.search(r'<option selected value="soles-of-the-feet">', form)
    assert 'value="999"' not in signed_in.get(
        "/course/practice?practice=other&minutes=999").get_data(as_text=True)


def test_only_a_repeated_form_counts_as_already_logged(enrolled):
    """Any other refusal by the database is an error, never a quiet 'logged'."""
    import datetime as dt

    from sqlalchemy.exc import IntegrityError

    from wellbeing.course.practice import add_entry
    day = dt.date(2026, 3, 3)
    assert add_entry(enrolled, day, "other", 5, None, "form-1") is True
    assert add_entry(enrolled, day, "other", 5, None, "form-1") is False
    with pytest.raises(IntegrityError):
        add_entry(enrolled, day, "other", 0, None, "form-2")  # minutes must be 1 to 180
    assert count() == 1
