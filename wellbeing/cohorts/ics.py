"""A participant's calendar: one event per weekly opening, plus the live sessions, with
VTIMEZONE data so every calendar app shows the cohort's wall-clock time across DST."""
import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from . import schedule

OPENING_MINUTES = 30


def cohort_calendar(cohort, base_url: str, now: dt.datetime) -> bytes:
    zone = ZoneInfo(cohort.timezone)
    cal = Calendar()
    cal.add("prodid", "-//Wellbeing//Cohort calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{cohort.name} (Wellbeing)")
    cal.add("x-wr-timezone", cohort.timezone)
    host = base_url.split("//")[-1].split("/")[0] or "wellbeing"
    link = f"{base_url}/welcome/{cohort.id}"
    for week, moment in enumerate(schedule.openings(cohort), start=1):
        start = moment.astimezone(zone)
        event = Event()
        event.add("uid", f"cohort-{cohort.id}-week-{week}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=OPENING_MINUTES))
        event.add("summary", f"Week {week} of {cohort.weeks} opens: {cohort.name}")
        event.add("description", f"This week's module is ready. Open it here: {link}")
        event.add("url", link)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
        if cohort.live_session_time:
            cal.add_component(_live_session(cohort, zone, week, host, now))
    cal.add_missing_timezones()
    return cal.to_ical()


def _live_session(cohort, zone, week: int, host: str, now) -> Event:
    start = schedule.live_session_at(cohort, week).astimezone(zone)
    event = Event()
    event.add("uid", f"cohort-{cohort.id}-live-{week}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=cohort.live_session_minutes or 60))
    event.add("summary", f"Live group session, week {week}: {cohort.name}")
    if cohort.live_session_place:
        event.add("location", cohort.live_session_place)
    return event
