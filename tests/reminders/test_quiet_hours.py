"""Quiet hours in the person's own zone, with zoneinfo: a night across a clock change
ends at the right wall-clock time."""
import datetime as dt

from wellbeing.reminders.quiet import outside_quiet_hours

UTC = dt.UTC
NIGHT = (dt.time(20, 0), dt.time(8, 0))


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_a_moment_outside_quiet_hours_is_kept():
    moment = at(2026, 1, 14, 12, 0)
    assert outside_quiet_hours(moment, "Europe/London", *NIGHT) == moment


def test_a_late_evening_moment_waits_for_the_morning_in_the_persons_zone():
    # 12:00 UTC is 21:00 in Tokyo: quiet until 08:00 JST = 23:00 UTC.
    assert outside_quiet_hours(at(2026, 1, 14, 12, 0), "Asia/Tokyo", *NIGHT) == \
        at(2026, 1, 14, 23, 0)
    # ...and 07:00 in New York (EST): quiet until 08:00 EST = 13:00 UTC the same day.
    assert outside_quiet_hours(at(2026, 1, 14, 12, 0), "America/New_York", *NIGHT) == \
        at(2026, 1, 14, 13, 0)


def test_a_night_across_the_spring_clock_change_ends_at_eight_local():
    # London, Sat 28 Mar 2026 22:00 GMT; clocks go forward at 01:00 on Sunday, so 08:00
    # BST is 07:00 UTC (eleven hours of wall clock are only ten hours of time).
    assert outside_quiet_hours(at(2026, 3, 28, 22, 0), "Europe/London", *NIGHT) == \
        at(2026, 3, 29, 7, 0)


def test_a_night_across_the_autumn_clock_change_ends_at_eight_local():
    # New York, Sat 31 Oct 2026 23:00 EDT = 03:00 UTC Sunday; 08:00 EST = 13:00 UTC.
    assert outside_quiet_hours(at(2026, 11, 1, 3, 0), "America/New_York", *NIGHT) == \
        at(2026, 11, 1, 13, 0)


def test_the_minute_quiet_hours_end_is_allowed_and_the_minute_they_start_is_not():
    assert outside_quiet_hours(at(2026, 1, 14, 8, 0), "Europe/London", *NIGHT) == \
        at(2026, 1, 14, 8, 0)
    assert outside_quiet_hours(at(2026, 1, 14, 20, 0), "Europe/London", *NIGHT) == \
        at(2026, 1, 15, 8, 0)


def test_daytime_quiet_hours_and_none_at_all():
    lunch = (dt.time(12, 0), dt.time(13, 30))
    assert outside_quiet_hours(at(2026, 1, 14, 12, 15), "Europe/London", *lunch) == \
        at(2026, 1, 14, 13, 30)
    same = (dt.time(9, 0), dt.time(9, 0))
    assert outside_quiet_hours(at(2026, 1, 14, 23, 0), "Europe/London", *same) == \
        at(2026, 1, 14, 23, 0)
