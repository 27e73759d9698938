"""Which planned messages a participant should get, and when: one rule, used by the
planner to insert and re-plan, and at send time to cancel what no longer applies.

A message is a moment (a week's release, three days after it, a survey opening or two
days before it closes) that is still relevant until `valid_until`; its due time is the
moment moved out of the person's quiet hours."""
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..cohorts import schedule
from ..surveys.models import FOLLOWUP, POST
from ..surveys.service import windows
from .kinds import NUDGE, SURVEY_OPEN, SURVEY_REMINDER, WEEK_OPENED
from .models import QUIET_END, QUIET_START
from .quiet import outside_quiet_hours

NUDGE_AFTER_DAYS = 3
# "Week 3 is open" is news for a day or two; a planner that was down longer, or a cohort
# set up mid-course, sends the current week's mail late rather than last week's at all.
WEEK_NEWS_FOR = dt.timedelta(days=2)
# A nudge or a "closing soon" reminder more than a day late has lost its point.
REMINDER_LATE_FOR = dt.timedelta(days=1)
REMIND_DAYS_BEFORE_CLOSE = 2


@dataclass(frozen=True)
class Moment:
    """A cohort-wide instant something may be sent for."""
    kind: str
    moment: dt.datetime
    valid_until: dt.datetime
    week: int | None = None
    wave: str | None = None


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    due_at: dt.datetime
    valid_until: dt.datetime
    week: int | None
    wave: str | None


def cohort_moments(cohort) -> list[Moment]:
    """Every moment of a cohort's schedule, for everyone in it (no queries per person)."""
    openings = schedule.openings(cohort)
    end = schedule.course_end_at(cohort)
    found = []
    for week, opens in enumerate(openings, start=1):
        until = openings[week] if week < len(openings) else end
        found.append(Moment(WEEK_OPENED, opens, min(until, opens + WEEK_NEWS_FOR), week=week))
        nudge = schedule.release_on(
            cohort, cohort.start_date + dt.timedelta(days=7 * (week - 1) + NUDGE_AFTER_DAYS))
        if nudge < until:  # never after the week moves on, nor after the course ends
            found.append(Moment(NUDGE, nudge, min(until, nudge + REMINDER_LATE_FOR),
                                week=week))
    for span in windows(cohort):
        if span.wave in (POST, FOLLOWUP):
            found.append(Moment(SURVEY_OPEN, span.opens_at, span.closes_at, wave=span.wave))
        close_day = span.closes_at.astimezone(ZoneInfo(cohort.timezone)).date()
        remind = schedule.release_on(
            cohort, close_day - dt.timedelta(days=REMIND_DAYS_BEFORE_CLOSE))
        if span.opens_at < remind < span.closes_at:
            found.append(Moment(SURVEY_REMINDER, remind,
                                min(span.closes_at, remind + REMINDER_LATE_FOR),
                                wave=span.wave))
    return found


def key_for(cohort_id: int, enrollment_id: int, moment: Moment) -> str:
    return f"{moment.kind}:{cohort_id}:{enrollment_id}:{moment.week or moment.wave}"


def planned_for(cohort, moments: list[Moment], enrollment_id: int, *, tz_name: str,
                preference, opened_weeks: set[int], done_waves: set[str],
                now: dt.datetime) -> dict[str, Planned]:
    """This enrollment's messages that still apply now, by dedupe key."""
    quiet = ((preference.quiet_start, preference.quiet_end) if preference
             else (QUIET_START, QUIET_END))
    wanted = {field: getattr(preference, field) if preference else True
              for field in ("week_opened", "nudges", "survey_reminders")}
    found = {}
    for m in moments:
        if m.valid_until <= now:
            continue
        if m.kind == WEEK_OPENED and not wanted["week_opened"]:
            continue
        if m.kind == NUDGE and (not wanted["nudges"] or m.week in opened_weeks):
            continue
        if m.kind in (SURVEY_OPEN, SURVEY_REMINDER) and (
                not wanted["survey_reminders"] or m.wave in done_waves):
            continue
        due = outside_quiet_hours(max(m.moment, now), tz_name, *quiet)
        if due >= m.valid_until:
            continue
        key = key_for(cohort.id, enrollment_id, m)
        found[key] = Planned(key, m.kind, due, m.valid_until, m.week, m.wave)
    return found
