"""When each week of a cohort opens.

Week N opens at start_date + 7·(N−1) days at release_time, local to the cohort's zone,
converted to UTC with zoneinfo so daylight-saving changes keep the local wall-clock time.
"""
import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def week_opens_at(start_date: dt.date, release_time: dt.time, tz_name: str,
                  week: int) -> dt.datetime:
    return _local_to_utc(start_date + dt.timedelta(days=7 * (week - 1)), release_time,
                         tz_name)


def release_on(cohort, day: dt.date) -> dt.datetime:
    """The cohort's release time on a local day, in UTC: days counted in the cohort's
    zone keep the wall-clock time across a clock change (adding 24 h in UTC would not)."""
    return _local_to_utc(day, cohort.release_time, cohort.timezone)


def _local_to_utc(day: dt.date, time: dt.time, tz_name: str) -> dt.datetime:
    # fold=0: in an autumn-back hour the earlier instant is used; a spring-forward gap
    # time is normalised forward by the UTC round-trip.
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def openings_for(start_date: dt.date, release_time: dt.time, tz_name: str,
                 weeks: int) -> list[dt.datetime]:
    return [week_opens_at(start_date, release_time, tz_name, n) for n in range(1, weeks + 1)]


def cohort_week_opens_at(cohort, week: int) -> dt.datetime:
    return week_opens_at(cohort.start_date, cohort.release_time, cohort.timezone, week)


def openings(cohort) -> list[dt.datetime]:
    return [cohort_week_opens_at(cohort, n) for n in range(1, cohort.weeks + 1)]


def current_week(cohort, now: dt.datetime) -> int:
    """The highest week already open (0 before the course starts)."""
    opened = 0
    for n, moment in enumerate(openings(cohort), start=1):
        if moment <= now:
            opened = n
    return opened


def is_week_open(cohort, week: int, now: dt.datetime) -> bool:
    return 1 <= week <= cohort.weeks and cohort_week_opens_at(cohort, week) <= now


def course_end_at(cohort) -> dt.datetime:
    """The end of the last week: seven local days after it opened, at the same local
    time (adding 7×24 h in UTC would be an hour off across a clock change)."""
    return cohort_week_opens_at(cohort, cohort.weeks + 1)


def status(cohort, now: dt.datetime) -> str:
    if cohort.archived_at is not None:
        return "archived"
    if getattr(cohort, "published_at", True) is None:
        return "draft"
    if now < cohort_week_opens_at(cohort, 1):
        return "scheduled"
    if now < course_end_at(cohort):
        return "running"
    return "finished"


def weeks_that_would_close(old: list[dt.datetime], new: list[dt.datetime],
                           now: dt.datetime) -> list[int]:
    """Weeks open under the old schedule that the new one would close again (they open
    later, or no longer exist)."""
    return [n for n, moment in enumerate(old, start=1)
            if moment <= now and (n > len(new) or new[n - 1] > now)]


def next_opening(cohort, now: dt.datetime) -> tuple[int, dt.datetime] | None:
    for n, moment in enumerate(openings(cohort), start=1):
        if moment > now:
            return n, moment
    return None


def live_session_at(cohort, week: int) -> dt.datetime | None:
    """The week's live session: on the release day, at live_session_time local."""
    if cohort.live_session_time is None:
        return None
    day = cohort.start_date + dt.timedelta(days=7 * (week - 1))
    local = dt.datetime.combine(day, cohort.live_session_time, tzinfo=ZoneInfo(cohort.timezone))
    return local.astimezone(UTC)


def next_live_session(cohort, now: dt.datetime) -> dt.datetime | None:
    for week in range(1, cohort.weeks + 1):
        moment = live_session_at(cohort, week)
        if moment is None or moment > now:
            return moment
    return None
