"""The home-practice log: entries, minutes per course week, and the participant's chart."""
import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.insert_once import is_duplicate
from ..core.pages import script_json
from ..extensions import db
from .content import OTHER
from .models import PracticeLog
from .service import practice_library

OTHER_LABEL = "Another practice"


def practice_title(slug: str) -> str:
    if slug == OTHER:
        return OTHER_LABEL
    practice = practice_library().get(slug)
    return practice.title if practice else slug


def course_week_of(cohort, day: dt.date) -> int:
    """Course week N runs from start_date + 7(N-1) for seven days (by local date)."""
    return (day - cohort.start_date).days // 7 + 1


def week_dates(cohort, week: int) -> tuple[dt.date, dt.date]:
    first = cohort.start_date + dt.timedelta(days=7 * (week - 1))
    return first, first + dt.timedelta(days=6)


def entries(enrollment) -> list[PracticeLog]:
    return list(db.session.scalars(
        select(PracticeLog).filter_by(enrollment_id=enrollment.id)
        .order_by(PracticeLog.day.desc(), PracticeLog.id.desc())))


def add_entry(enrollment, day: dt.date, practice: str, minutes: int,
              note: str | None, token: str | None = None) -> bool:
    """Store one entry. Returns False, storing nothing, when this form (`token`) was
    already stored: a double-click or a resent page logs the practice once."""
    db.session.add(PracticeLog(
        org_id=enrollment.org_id, enrollment_id=enrollment.id,
        cohort_id=enrollment.cohort_id, day=day, practice=practice,
        minutes=minutes, note=(note or "").strip() or None, entry_token=token or None))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if is_duplicate(error):  # the unique (enrollment, token) pair: already logged
            return False
        raise
    return True


def minutes_between(enrollment, first: dt.date, last: dt.date) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(PracticeLog.minutes), 0))
        .where(PracticeLog.enrollment_id == enrollment.id,
               PracticeLog.day.between(first, last))) or 0


@dataclass(frozen=True)
class WeekMinutes:
    label: str
    first: dt.date | None
    last: dt.date | None
    minutes: int
    sessions: int

    @property
    def short(self) -> str:
        return self.label.removeprefix("Week ")

    @property
    def dates(self) -> str:
        if self.last is None:
            return f"{self.first:%-d %b} onwards"
        if self.first.month == self.last.month:
            return f"{self.first:%-d}–{self.last:%-d %b}"
        return f"{self.first:%-d %b}–{self.last:%-d %b}"


def minutes_by_week(enrollment) -> list[WeekMinutes]:
    cohort = enrollment.cohort
    totals: dict[int, list[int]] = {}
    for entry in entries(enrollment):
        week = min(course_week_of(cohort, entry.day), cohort.weeks + 1)
        minutes, sessions = totals.get(week, [0, 0])
        totals[week] = [minutes + entry.minutes, sessions + 1]
    rows = []
    for week in range(1, cohort.weeks + 1):
        first, last = week_dates(cohort, week)
        minutes, sessions = totals.get(week, [0, 0])
        rows.append(WeekMinutes(f"Week {week}", first, last, minutes, sessions))
    if cohort.weeks + 1 in totals:
        minutes, sessions = totals[cohort.weeks + 1]
        rows.append(WeekMinutes("After the course", week_dates(cohort, cohort.weeks + 1)[0],
                                None, minutes, sessions))
    return rows


def summary(rows: list[WeekMinutes]) -> str:
    total = sum(r.minutes for r in rows)
    sessions = sum(r.sessions for r in rows)
    if not total:
        return "You have not logged any practice yet; your weekly minutes will appear here."
    best = max(rows, key=lambda r: r.minutes)
    return (f"You have logged {total} minutes of practice in {sessions} "
            f"session{'s' if sessions != 1 else ''}; your fullest week so far is "
            f"{best.label.lower()}, with {best.minutes} minutes.")


def chart_json(rows: list[WeekMinutes]) -> str:
    """A Plotly bar chart built here and drawn by our own copy of plotly.js."""
    figure = go.Figure(go.Bar(
        x=[r.label for r in rows], y=[r.minutes for r in rows], marker_color="#2f6b5a",
        hovertemplate="%{x}: %{y} minutes<extra></extra>"))
    figure.update_layout(
        margin={"l": 48, "r": 12, "t": 12, "b": 48}, height=300,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif", "color": "#23302b"},
        yaxis={"title": {"text": "Minutes"}, "rangemode": "tozero", "gridcolor": "#e1ddd2",
               "tickformat": ",d",
               # An empty log still gets a sensible scale rather than 0 to 1.
               **({} if any(r.minutes for r in rows) else {"range": [0, 30]})},
        xaxis={"title": {"text": "Course week"}})
    return script_json(figure)
