"""Synthetic survey answers for the demo organisation, stored through the real scoring code,
so outcome pages have something to show. All people are invented."""
import datetime as dt
import random

from sqlalchemy import select

from ..auth.models import PARTICIPANT, User
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..core.timeutil import now_utc
from ..extensions import db
from . import service
from .release import release_closed_waves

PILOT_NAMES = ["Ines Duarte", "Femi Adeyemi", "Lucia Moreno", "Ravi Iyer", "Elin Berg",
               "Marcus Boateng", "Yuki Tanaka", "Zoe Papadopoulos"]


def demo_answers(rng: random.Random, cohort: Cohort, lift: float,
                 tendency: float = 0.0) -> dict[str, dict[int, int]]:
    """Invented answers around a person's `tendency`, plus noise; `lift` moves them
    towards the better end of each instrument (used for the wave after the course)."""
    found = {}
    for instrument in service.instruments_for(cohort):
        lo, hi = instrument.scale_min, instrument.scale_max
        shift = (tendency + lift) * (1 if instrument.better == "higher" else -1)
        centre = (lo + hi) / 2 + shift * (hi - lo) / 4
        values = {}
        for item in instrument.items:
            keyed = min(hi, max(lo, round(rng.gauss(centre, (hi - lo) / 5))))
            values[item.n] = lo + hi - keyed if item.n in instrument.reverse else keyed
        found[instrument.code] = values
    return found


def _take(enrollment, wave, rng, lift) -> None:
    span = service.window(enrollment.cohort, wave, enrollment.invited_at)
    moment = span.opens_at + dt.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 9))
    service.submit_wave(enrollment, wave, demo_answers(rng, enrollment.cohort, lift), moment)


def add_demo_surveys(org, running: Cohort, facilitator, today: dt.date) -> None:
    rng = random.Random(20260302)
    # The running cohort: everyone but one answered the pre survey.
    running_enrollments = list(db.session.scalars(
        select(Enrollment).filter_by(cohort_id=running.id).order_by(Enrollment.id)))
    for enrollment in running_enrollments[:-1]:
        _take(enrollment, service.PRE, rng, lift=-0.3)
    # A pilot cohort that finished last week: pre and post, one post still to come.
    pilot = Cohort(org_id=org.id, name="Pilot cohort",
                   start_date=today - dt.timedelta(weeks=9), timezone=running.timezone,
                   release_time=dt.time(8, 0), weeks=8, capacity=12)
    pilot.facilitators.append(facilitator)
    db.session.add(pilot)
    db.session.flush()
    invited = service.cohort_week_opens_at(pilot, 1) - dt.timedelta(days=10)
    for index, name in enumerate(PILOT_NAMES):
        email = name.lower().replace(" ", ".") + "@northwind.example.com"
        user = User(org_id=org.id, email=email, name=name, role=PARTICIPANT,
                    department=["Nursing", "Finance", "IT", "Operations"][index % 4])
        db.session.add(user)
        db.session.flush()
        enrollment = Enrollment(org_id=org.id, cohort_id=pilot.id, user_id=user.id,
                                status=ACTIVE, invited_at=invited, joined_at=invited)
        db.session.add(enrollment)
        db.session.commit()
        _take(enrollment, service.PRE, rng, lift=-0.3)
        if index < len(PILOT_NAMES) - 1:
            _take(enrollment, service.POST, rng, lift=0.35)
    # Waves that closed in the demo's past are written, as beat would have done.
    release_closed_waves(now_utc())
