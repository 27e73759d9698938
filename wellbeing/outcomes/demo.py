"""Finished cohorts for the demo organisation, so that every outcome chart has enough
people to mean something, and one small cohort that shows what suppression looks like.
All people are invented; answers are stored through the real survey code, with a
person-level tendency so that before and after are correlated as in real groups."""
import datetime as dt
import random

from ..auth.models import PARTICIPANT, User
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..course.models import ModuleOpened, ModuleProgress, PracticeLog
from ..extensions import db
from ..surveys import service
from ..surveys.demo import demo_answers

FIRST = ["Ada", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jia", "Kai",
         "Lena", "Milo", "Nia", "Oren", "Pia", "Quin", "Rosa", "Sami", "Tara"]
LAST = ["Abbott", "Brandt", "Costa", "Dahl", "Egan", "Fischer", "Gupta", "Hale", "Ito",
        "Jansen", "Khan", "Lopez"]
# name, weeks ago it started, people, answering after (share), lift after the course
COHORTS = [("Spring cohort", 40, 42, 0.85, 0.7),
           ("Summer cohort", 28, 36, 0.8, 0.55),
           ("Small team pilot", 20, 6, 5 / 6, 0.3)]


def _activity(rng, cohort: Cohort, enrollment: Enrollment) -> None:
    """Weeks opened and completed until the week this person stops, and some practice."""
    stop = min(cohort.weeks, 1 + int(rng.expovariate(0.18)))
    for week in range(1, stop + 1):
        day = cohort.start_date + dt.timedelta(days=7 * (week - 1) + rng.randint(0, 2))
        db.session.add(ModuleOpened(org_id=cohort.org_id, enrollment_id=enrollment.id,
                                    cohort_id=cohort.id, week=week, opened_on=day))
        if rng.random() < 0.88:
            db.session.add(ModuleProgress(org_id=cohort.org_id, enrollment_id=enrollment.id,
                                          cohort_id=cohort.id, week=week, completed_on=day))
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
            db.session.add(PracticeLog(
                org_id=cohort.org_id, enrollment_id=enrollment.id, cohort_id=cohort.id,
                practice="other",
                day=day + dt.timedelta(days=rng.randint(0, 4)),
                minutes=rng.choice([5, 10, 10, 15, 20, 30])))


def add_demo_outcomes(org, facilitator, today: dt.date) -> list[Cohort]:
    rng = random.Random(20261202)
    made = []
    counter = 0
    for name, weeks_ago, people, answering, lift in COHORTS:
        start = today - dt.timedelta(weeks=weeks_ago)
        start -= dt.timedelta(days=start.weekday())  # Mondays
        cohort = Cohort(org_id=org.id, name=name, start_date=start, timezone="Europe/London",
                        release_time=dt.time(9, 0), weeks=8, capacity=people + 4)
        cohort.facilitators.append(facilitator)
        db.session.add(cohort)
        db.session.flush()
        invited = service.cohort_week_opens_at(cohort, 1) - dt.timedelta(days=10)
        answer_after = round(people * answering)
        for index in range(people):
            counter += 1
            first, last = FIRST[counter % len(FIRST)], LAST[counter // len(FIRST) % len(LAST)]
            user = User(org_id=org.id, name=f"{first} {last}", role=PARTICIPANT,
                        email=f"{first}.{last}.{counter}@northwind.example.com".lower())
            db.session.add(user)
            db.session.flush()
            enrollment = Enrollment(org_id=org.id, cohort_id=cohort.id, user_id=user.id,
                                    status=ACTIVE, invited_at=invited, joined_at=invited)
            db.session.add(enrollment)
            db.session.flush()
            _activity(rng, cohort, enrollment)
            db.session.commit()
            tendency = rng.gauss(-0.3, 0.45)
            for wave, shift, take in ((service.PRE, 0.0, True),
                                      (service.POST, lift, index < answer_after)):
                if not take:
                    continue
                span = service.window(cohort, wave, enrollment.invited_at)
                moment = span.opens_at + dt.timedelta(days=rng.randint(0, 3), hours=2)
                answers = demo_answers(rng, cohort, lift=shift + rng.gauss(0, 0.25),
                                       tendency=tendency + rng.gauss(0, 0.2))
                service.submit_wave(enrollment, wave, answers, moment)
        made.append(cohort)
    return made
