"""The demo organisation has course activity to show."""
from sqlalchemy import func, select

from wellbeing.auth.models import User
from wellbeing.course.models import JournalEntry, ModuleProgress, PracticeLog
from wellbeing.demo import ensure_demo, sign_ins
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
