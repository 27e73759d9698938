"""Demo course activity: completed weeks, home practice and one journal entry, so the
participant pages and the completion counts have something to show. Invented data."""
import datetime as dt

from sqlalchemy import select

from ..cohorts.models import WITHDRAWN, Cohort, Enrollment
from ..core.timeutil import now_utc
from ..extensions import db
from . import journal
from .models import JournalEntry, ModuleOpened, ModuleProgress, PracticeLog
from .practice import course_week_of
from .service import curriculum

DEMO_NOTE = ("Tried the self-compassion break after a tense call. Felt awkward at first, "
             "then my shoulders dropped.")
DEMO_JOURNAL = ("I noticed how quickly I called myself careless today. When I imagined "
                "saying that to Priya, it sounded harsh. I tried 'you're doing your best "
                "with a lot on your plate' instead, and it helped a little.")


def add_demo_course_data(org, today: dt.date | None = None) -> None:
    today = today or now_utc().date()
    for cohort in db.session.scalars(select(Cohort).filter_by(org_id=org.id)):
        if cohort.start_date > today:
            continue
        weeks_open = min(course_week_of(cohort, today), cohort.weeks)
        enrollments = list(db.session.scalars(
            select(Enrollment).filter_by(cohort_id=cohort.id)
            .where(Enrollment.status != WITHDRAWN).order_by(Enrollment.id)))
        for index, enrollment in enumerate(enrollments):
            _activity(cohort, enrollment, index, weeks_open, today)
        if enrollments:
            first = enrollments[0]
            db.session.add(_journal_entry(first, today))
    db.session.commit()


def _activity(cohort, enrollment, index, weeks_open, today):
    finished = course_week_of(cohort, today) > cohort.weeks
    for week in range(1, weeks_open + 1):
        first_day = cohort.start_date + dt.timedelta(days=7 * (week - 1))
        db.session.add(ModuleOpened(org_id=cohort.org_id, enrollment_id=enrollment.id,
                                    cohort_id=cohort.id, week=week,
                                    opened_on=first_day + dt.timedelta(days=index % 2)))
        # Fewer people finish each later week, as in real cohorts; the current week is open.
        if (week < weeks_open or finished) and index < 9 - (week - 1):
            db.session.add(ModuleProgress(
                org_id=cohort.org_id, enrollment_id=enrollment.id, cohort_id=cohort.id,
                week=week, completed_on=first_day + dt.timedelta(days=3 + index % 3)))
    practices = [p for n, w in curriculum().items() if n <= weeks_open for p in w.practices]
    # Up to yesterday: today's practice is the visitor's to log.
    course_end = cohort.start_date + dt.timedelta(weeks=cohort.weeks, days=-1)
    day, last = cohort.start_date, min(today - dt.timedelta(days=1), course_end)
    while day <= last:
        n = (day - cohort.start_date).days
        if (n + index) % 3 != 2 or day == last:  # most days, and yesterday
            practice = practices[(n + index) % len(practices)]
            if practice.week <= course_week_of(cohort, day):
                db.session.add(PracticeLog(
                    org_id=cohort.org_id, enrollment_id=enrollment.id,
                    cohort_id=cohort.id, day=day,
                    practice=practice.slug, minutes=5 + (n * 7 + index * 3) % 26,
                    note=DEMO_NOTE if (index, n) == (0, 1) else None))
        day += dt.timedelta(days=1)


def _journal_entry(enrollment, today):
    return JournalEntry(org_id=enrollment.org_id, author_id=enrollment.user_id, week=1,
                        written_on=today - dt.timedelta(days=12),
                        body_encrypted=journal.encrypt(DEMO_JOURNAL))
