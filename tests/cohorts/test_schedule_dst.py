"""Openings keep the local wall-clock time across daylight-saving changes."""
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from wellbeing.cohorts import schedule
from wellbeing.cohorts.ics import cohort_calendar

UTC = dt.UTC


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("zone, start, expected", [
    # Berlin springs forward on Sun 29 Mar 2026: 09:00 CET = 08:00Z, then 09:00 CEST = 07:00Z.
    ("Europe/Berlin", dt.date(2026, 3, 16),
     [utc(2026, 3, 16, 8), utc(2026, 3, 23, 8), utc(2026, 3, 30, 7), utc(2026, 4, 6, 7)]),
    # Berlin falls back on Sun 25 Oct 2026.
    ("Europe/Berlin", dt.date(2026, 10, 12),
     [utc(2026, 10, 12, 7), utc(2026, 10, 19, 7), utc(2026, 10, 26, 8), utc(2026, 11, 2, 8)]),
    # New York springs forward on Sun 8 Mar 2026, three weeks before Europe.
    ("America/New_York", dt.date(2026, 3, 2),
     [utc(2026, 3, 2, 14), utc(2026, 3, 9, 13), utc(2026, 3, 16, 13), utc(2026, 3, 23, 13)]),
    # New York falls back on Sun 1 Nov 2026.
    ("America/New_York", dt.date(2026, 10, 26),
     [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14), utc(2026, 11, 9, 14), utc(2026, 11, 16, 14)]),
    # Kolkata has no DST: always 03:30Z.
    ("Asia/Kolkata", dt.date(2026, 3, 16),
     [utc(2026, 3, 16, 3, 30), utc(2026, 3, 23, 3, 30), utc(2026, 3, 30, 3, 30),
      utc(2026, 4, 6, 3, 30)]),
])
def test_openings_are_nine_local_across_dst(make_cohort, zone, start, expected):
    cohort = make_cohort(start=start, tz=zone, release=dt.time(9, 0), weeks=4)
    assert schedule.openings(cohort) == expected
    assert {m.astimezone(ZoneInfo(zone)).time()
            for m in schedule.openings(cohort)} == {dt.time(9, 0)}


def test_schedule_page_shows_cohort_time_and_viewers_time(client, login, make_user, org,
                                                          make_cohort):
    from wellbeing.auth.models import ADMIN
    viewer = make_user(ADMIN, org=org, timezone="America/New_York")
    cohort = make_cohort(org=org, start=dt.date(2026, 3, 16), tz="Europe/Berlin", weeks=4)
    login(client, viewer)
    page = client.get(f"/cohorts/{cohort.id}/schedule").get_data(as_text=True)
    # 16 Mar: Berlin is UTC+1, New York already UTC-4 → 04:00; 30 Mar: both on summer time.
    assert "Mon 16 Mar 2026, 09:00 Berlin" in page
    assert "Mon 16 Mar 2026, 04:00 New York" in page
    assert "Mon 30 Mar 2026, 09:00 Berlin" in page
    assert "Mon 30 Mar 2026, 03:00 New York" in page


def test_release_time_inside_the_spring_gap_moves_forward(make_cohort):
    # 02:30 does not exist in Berlin on 29 Mar 2026; the week opens at 03:30 CEST.
    cohort = make_cohort(start=dt.date(2026, 3, 22), tz="Europe/Berlin",
                         release=dt.time(2, 30), weeks=2)
    assert schedule.openings(cohort) == [utc(2026, 3, 22, 1, 30), utc(2026, 3, 29, 1, 30)]


def test_calendar_has_vtimezone_and_local_times_across_dst(make_cohort):
    cohort = make_cohort(start=dt.date(2026, 10, 12), tz="America/New_York", weeks=4,
                         live_session_time=dt.time(12, 30), live_session_minutes=45,
                         live_session_place="Room 4")
    body = cohort_calendar(cohort, "https://wellbeing.example.com", utc(2026, 10, 1))
    cal = icalendar.Calendar.from_ical(body)
    zones = [c for c in cal.walk("VTIMEZONE")]
    assert [z["TZID"] for z in zones] == ["America/New_York"]
    assert zones[0].walk("DAYLIGHT") and zones[0].walk("STANDARD")
    events = cal.walk("VEVENT")
    openings = [e for e in events if "opens" in str(e["SUMMARY"])]
    live = [e for e in events if "Live" in str(e["SUMMARY"])]
    assert len(openings) == 4 and len(live) == 4
    assert b"DTSTART;TZID=America/New_York:20261026T090000" in body
    assert b"DTSTART;TZID=America/New_York:20261102T090000" in body  # after fall-back
    assert [e.decoded("DTSTART").astimezone(UTC) for e in openings] == schedule.openings(cohort)
    assert live[1].decoded("DTSTART").hour == 12 and str(live[1]["LOCATION"]) == "Room 4"
    assert (live[1].decoded("DTEND") - live[1].decoded("DTSTART")) == dt.timedelta(minutes=45)
    assert len({str(e["UID"]) for e in events}) == 8


def test_live_sessions_follow_the_cohorts_wall_clock(make_cohort):
    cohort = make_cohort(start=dt.date(2026, 10, 19), tz="Europe/Berlin", weeks=2,
                         live_session_time=dt.time(12, 30), live_session_minutes=60)
    assert schedule.live_session_at(cohort, 1) == utc(2026, 10, 19, 10, 30)  # CEST
    assert schedule.live_session_at(cohort, 2) == utc(2026, 10, 26, 11, 30)  # CET
    assert schedule.next_live_session(cohort, utc(2026, 10, 20)) == utc(2026, 10, 26, 11, 30)
    assert schedule.next_live_session(cohort, utc(2026, 11, 1)) is None


def test_the_course_ends_at_the_local_release_time_across_a_clock_change(make_cohort):
    import datetime as _dt

    from wellbeing.cohorts.schedule import course_end_at
    # 8 weeks from 1 Feb 2027 09:30 London: the end (29 Mar) falls after the switch to BST.
    cohort = make_cohort(start=_dt.date(2027, 2, 1), tz="Europe/London",
                         release=_dt.time(9, 30))
    assert course_end_at(cohort) == _dt.datetime(2027, 3, 29, 8, 30, tzinfo=_dt.UTC)
