"""The course for one participant: which enrollment, which module text, which weeks are
open, and what they have completed. No Flask request objects here."""
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, select

from ..cohorts import schedule
from ..cohorts.models import Cohort, Enrollment
from ..core.insert_once import insert_once
from ..core.timeutil import now_utc, to_local
from ..extensions import db
from .content import CONTENT_DIR, Practice, load_curriculum, missing_blocks
from .models import ModuleOpened, ModuleProgress, OrgModule


def init_app(app) -> None:
    """Load and check the shipped course once, at start-up: a broken file stops the app."""
    app.extensions["curriculum"] = load_curriculum(app.config.get("COURSE_CONTENT_DIR")
                                                   or CONTENT_DIR)


def curriculum():
    return current_app.extensions["curriculum"]


def practice_library() -> dict[str, Practice]:
    return {p.slug: p for week in curriculum().values() for p in week.practices}


@dataclass(frozen=True)
class Module:
    week: int
    title: str
    intention: str
    reading: str
    reflection: str
    home_practice: str
    practices: tuple[Practice, ...]
    customised: bool = False  # the organisation changed some of our text
    own: bool = False  # the organisation wrote this module


def _own_practices(row: OrgModule) -> tuple[Practice, ...]:
    library = practice_library()
    return tuple(library[s] for s in (row.practice_slugs or "").split() if s in library)


def module_for(org_id: int, week: int) -> Module | None:
    row = db.session.scalar(select(OrgModule).filter_by(org_id=org_id, week=week))
    return _module(week, row)


def modules_for(org_id: int, weeks) -> dict[int, Module | None]:
    """module_for() for several weeks with one query (pages that list the weeks)."""
    weeks = list(weeks)
    rows = {row.week: row for row in db.session.scalars(
        select(OrgModule).where(OrgModule.org_id == org_id, OrgModule.week.in_(weeks)))}
    return {week: _module(week, rows.get(week)) for week in weeks}


def weeks_with_modules(org_id: int) -> int:
    """How many weeks in a row, from week 1, have a module (ours or the organisation's):
    the longest course this organisation can run."""
    modules = modules_for(org_id, range(1, 17))
    weeks = 0
    while weeks < 16 and modules[weeks + 1] is not None:
        weeks += 1
    return weeks


def _module(week: int, row: OrgModule | None) -> Module | None:
    """Our text for the week with the organisation's changes (row) applied, or the
    organisation's own module for a week past the shipped curriculum."""
    shipped = curriculum().get(week)
    if shipped is None:
        if row is None or not row.title:
            return None
        return Module(week, row.title, row.intention or "", row.reading or "",
                      row.reflection or "", row.home_practice or "", _own_practices(row),
                      own=True)
    fields = {name: getattr(shipped, name) for name in
              ("title", "intention", "reading", "reflection", "home_practice")}
    if row is not None:
        fields.update({k: getattr(row, k) for k in fields if (getattr(row, k) or "").strip()})
        # Text saved before a safety paragraph was protected still shows it, at the end.
        missing = missing_blocks(shipped.protected, fields["reading"])
        if missing:
            fields["reading"] = "\n\n".join([fields["reading"], *missing])
    customised = row is not None and any(
        (getattr(row, k) or "").strip() for k in fields)
    return Module(week, practices=shipped.practices, customised=customised, **fields)


def find_practice(module: Module, slug: str) -> Practice | None:
    return next((p for p in module.practices if p.slug == slug), None)


# --- the participant's weeks ---------------------------------------------------------

def local_today(user, now: dt.datetime | None = None) -> dt.date:
    return to_local(now or now_utc(), user.display_timezone).date()


@dataclass(frozen=True)
class WeekState:
    week: int
    title: str | None
    opens_at: dt.datetime
    is_open: bool
    completed_on: dt.date | None

    @property
    def state(self) -> str:
        if self.completed_on:
            return "completed"
        return "open" if self.is_open else "locked"


def _recorded_weeks(model, enrollment_id: int) -> dict[int, dt.date]:
    date_column = model.completed_on if model is ModuleProgress else model.opened_on
    rows = db.session.execute(select(model.week, date_column)
                              .where(model.enrollment_id == enrollment_id))
    return {week: day for week, day in rows}


def is_open(enrollment: Enrollment, week: int, now: dt.datetime | None = None) -> bool:
    """Open by the schedule, or opened (or completed) before: an opened week stays open
    even if the cohort's dates are moved later."""
    cohort = enrollment.cohort
    if not 1 <= week <= cohort.weeks:
        return False
    if schedule.is_week_open(cohort, week, now or now_utc()):
        return True
    return any(db.session.scalar(select(func.count()).select_from(model).where(
        model.enrollment_id == enrollment.id, model.week == week))
        for model in (ModuleOpened, ModuleProgress))


def weeks_for(enrollment: Enrollment, now: dt.datetime | None = None) -> list[WeekState]:
    now = now or now_utc()
    cohort = enrollment.cohort
    completed = _recorded_weeks(ModuleProgress, enrollment.id)
    opened = _recorded_weeks(ModuleOpened, enrollment.id)
    openings = schedule.openings(cohort)
    modules = modules_for(enrollment.org_id, range(1, len(openings) + 1))
    states = []
    for n, opens_at in enumerate(openings, start=1):
        module = modules[n]
        states.append(WeekState(n, module.title if module else None, opens_at,
                                opens_at <= now or n in opened or n in completed,
                                completed.get(n)))
    return states


def this_week(states: list[WeekState]) -> WeekState | None:
    """The latest open week: where the cohort is now."""
    open_weeks = [s for s in states if s.is_open]
    return open_weeks[-1] if open_weeks else None


def record_opened(enrollment: Enrollment, week: int, today: dt.date) -> None:
    insert_once(ModuleOpened, org_id=enrollment.org_id, enrollment_id=enrollment.id,
                cohort_id=enrollment.cohort_id, week=week, opened_on=today)
    db.session.commit()


def set_complete(enrollment: Enrollment, week: int, today: dt.date, done: bool = True) -> None:
    """Mark a week complete (kept from the first time) or not; pressing twice, in two tabs
    or at once, gives the same result as pressing once."""
    if done:
        insert_once(ModuleProgress, org_id=enrollment.org_id, enrollment_id=enrollment.id,
                    cohort_id=enrollment.cohort_id, week=week, completed_on=today)
    else:
        db.session.execute(delete(ModuleProgress).filter_by(enrollment_id=enrollment.id,
                                                            week=week))
    db.session.commit()


# --- staff: completion counts -------------------------------------------------------------

def completion_counts(cohort: Cohort) -> tuple[int, dict[int, int]]:
    """How many weeks were completed in this cohort, per week, out of everyone ever
    enrolled in it. Counts only, never names.

    A week counts where it was completed (the row's own cohort) and stays counted when
    the person later withdraws or is moved: a count that dropped, or one that grew when
    someone was moved in, would give that one person's progress by subtraction. For the
    same reason a deleted account's weeks stay, without them, and so do they in the total
    (Cohort.departed)."""
    participants = Enrollment.count_ever_in(cohort)
    rows = db.session.execute(
        select(ModuleProgress.week, func.count())
        .where(ModuleProgress.cohort_id == cohort.id)
        .group_by(ModuleProgress.week))
    return participants, {week: count for week, count in rows}


# --- practices the participant can open --------------------------------------------------

def open_practices(enrollment: Enrollment, now: dt.datetime | None = None) -> list[Practice]:
    """The practices of every open week, and those offered from day one (grounding),
    in course order."""
    open_weeks = {s.week for s in weeks_for(enrollment, now) if s.is_open}
    return [p for p in practice_library().values() if p.anytime or p.week in open_weeks]


def open_practice(enrollment: Enrollment, slug: str) -> Practice | None:
    return next((p for p in open_practices(enrollment) if p.slug == slug), None)
