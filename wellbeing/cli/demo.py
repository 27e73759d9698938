"""The demo organisation: enough people and history that every page has something to show.
All names are invented; every address is at example.com, which never receives mail."""
import datetime as dt

from sqlalchemy import select

from ..auth.models import ADMIN, FACILITATOR, PARTICIPANT, User
from ..auth.passwords import hash_password
from ..cohorts.demo import add_demo_data
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..core.timeutil import now_utc
from ..course.demo import add_demo_course_data
from ..extensions import db
from ..orgs.models import Organization
from ..outcomes.demo import add_demo_outcomes
from ..reminders.demo import add_demo_reminders
from ..surveys.demo import add_demo_surveys
from ..surveys.release import release_closed_waves

DEMO_ORG = "Northwind Health (demo)"
DEMO_PASSWORD = "demo-wellbeing-2026"
ADMIN_EMAIL = "hr@northwind.example.com"
FACILITATOR_EMAIL = "sam.facilitator@northwind.example.com"
DEPARTMENTS = ["Nursing", "Finance", "IT", "Operations"]
PARTICIPANT_NAMES = [
    "Alex Rivera", "Priya Natarajan", "Jonas Weber", "Mei Chen", "Tomás Ortega",
    "Aisha Bello", "Liam O'Connor", "Sofia Rossi", "Kenji Watanabe", "Nora Lindqvist",
    "Daniel Mensah", "Hannah Schulz", "Omar Haddad", "Grace Kim",
]


def _participant_email(name: str) -> str:
    slug = name.lower().replace("'", "").replace("á", "a").replace(" ", ".")
    return f"{slug}@northwind.example.com"


def sign_ins() -> list[tuple[str, str]]:
    return [("Org admin", ADMIN_EMAIL), ("Facilitator", FACILITATOR_EMAIL),
            ("Participant", _participant_email(PARTICIPANT_NAMES[0]))]


def ensure_demo(today: dt.date | None = None) -> bool:
    """Create the demo organisation unless it exists. Returns True when created."""
    if db.session.scalar(select(Organization).filter_by(name=DEMO_ORG)):
        return False
    today = today or now_utc().date()
    org = Organization(name=DEMO_ORG, timezone="Europe/London")
    db.session.add(org)
    db.session.flush()
    password = hash_password(DEMO_PASSWORD)
    db.session.add(User(org_id=org.id, email=ADMIN_EMAIL, name="Harriet Okafor", role=ADMIN,
                        password_hash=password, accepted_at=now_utc()))
    facilitator = User(org_id=org.id, email=FACILITATOR_EMAIL, name="Sam Patel",
                       role=FACILITATOR, password_hash=password, accepted_at=now_utc())
    db.session.add(facilitator)
    running = Cohort(org_id=org.id, name="Whole-company cohort",
                     start_date=today - dt.timedelta(days=15), timezone="Europe/London",
                     release_time=dt.time(8, 0), weeks=8, capacity=20,
                     live_session_time=dt.time(12, 30), live_session_minutes=60,
                     live_session_place="Video call (link in the weekly email)")
    upcoming = Cohort(org_id=org.id, name="Team leads cohort",
                      start_date=today + dt.timedelta(days=21), timezone="Europe/London",
                      release_time=dt.time(9, 0), weeks=8, capacity=16)
    running.facilitators.append(facilitator)
    upcoming.facilitators.append(facilitator)
    db.session.add_all([running, upcoming])
    db.session.flush()
    joined = now_utc() - dt.timedelta(days=16)
    for index, name in enumerate(PARTICIPANT_NAMES):
        user = User(org_id=org.id, email=_participant_email(name), name=name,
                    role=PARTICIPANT, department=DEPARTMENTS[index % len(DEPARTMENTS)])
        db.session.add(user)
        db.session.flush()
        cohort = running if index < 10 else upcoming
        db.session.add(Enrollment(org_id=org.id, cohort_id=cohort.id, user_id=user.id,
                                  status=ACTIVE, invited_at=joined, joined_at=joined))
    db.session.commit()
    add_demo_data(org)
    add_demo_surveys(org, running, facilitator, today)  # adds the finished pilot cohort
    add_demo_course_data(org, today)
    add_demo_outcomes(org, facilitator, today)  # finished cohorts, one of them small
    add_demo_reminders(org, running)
    # Waves that closed long ago in the demo's history are written out now, as beat would
    # have done at the time; an open wave's answers stay sealed.
    release_closed_waves(now_utc())
    db.session.commit()
    return True
