"""The demo organisation has course activity to show."""
from sqlalchemy import func, select

from wellbeing.auth.models import User
from wellbeing.cli.demo import ensure_demo, sign_ins
from wellbeing.course.models import JournalEntry, ModuleProgress, PracticeLog
from wellbeing.extensions import db


def test_demo_participant_is_in_week_three_with_history(client, login):
    assert ensure_demo()
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) > 0
    assert db.session.scalar(select(func.count()).select_from(PracticeLog)) > 20
    email = dict(sign_ins())["Participant"]
    participant = db.session.scalar(select(User).filter_by(email=email))
    login(client, participant)
    home = client.get("/course/").get_data(as_text=True)
    assert "This week: Words of goodwill" in home
    assert "2 of 8 weeks completed" in home
    log = client.get("/course/practice").get_data(as_text=True)
    assert "You have logged" in log
    entry = db.session.scalar(select(JournalEntry).filter_by(author_id=participant.id))
    assert "careless" not in entry.body_encrypted
    assert "careless" in client.get(f"/course/journal/{entry.id}").get_data(as_text=True)


def test_demo_pilot_cohort_shows_completed_weeks_and_a_free_day_to_log(client, login):
    import re

    from wellbeing.auth.models import ADMIN
    from wellbeing.cohorts.models import Cohort
    assert ensure_demo()
    pilot = db.session.scalar(select(Cohort).filter_by(name="Pilot cohort"))
    admin = db.session.scalar(select(User).filter_by(role=ADMIN))
    login(client, admin)
    page = client.get(f"/course/cohorts/{pilot.id}/completion").get_data(as_text=True)
    cells = re.findall(r"<td>(about \d+ of 8|<span class=\"suppressed\">Hidden: fewer than 5)",
                       page)
    # Eight weeks, each rounded or hidden: never one exact, moving count. All eight
    # completed the first two weeks ("about 10 of 8" would say so: hidden), most the
    # next ones, fewer the last ones.
    assert len(cells) == 8 and "Hidden" in cells[0] and "Hidden" in cells[-1]
    assert cells[2] == "about 5 of 8" and "Hidden: fewer than 5, or everyone" in page
    # Nothing is logged for today: a visitor's first entry of the day is theirs to make.
    from wellbeing.core.timeutil import now_utc
    assert db.session.scalar(select(func.count()).select_from(PracticeLog)
                             .where(PracticeLog.day >= now_utc().date())) == 0
