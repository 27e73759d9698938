"""The demo organisation's audit log tells a whole story in words: cohorts created,
people imported and joining, staff invited, settings changed."""
from sqlalchemy import select

from tests.surveys.helpers import visible_text
from wellbeing.audit.models import AuditEvent
from wellbeing.auth.models import ADMIN, User
from wellbeing.cli.demo import ensure_demo
from wellbeing.extensions import db


def test_the_demo_audit_log_has_a_full_history(client, login):
    assert ensure_demo()
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"cohort.created", "enrollment.imported", "enrollment.joined", "staff.invited",
            "org.settings_changed"} <= actions
    login(client, db.session.scalar(select(User).filter_by(role=ADMIN)))
    page = visible_text(client.get("/audit/").get_data(as_text=True))
    assert "Person joined" in page and "Staff member invited" in page
    assert "User " not in page  # names and words, never raw ids


def test_the_demo_log_dates_joining_on_the_day_the_roster_says():
    from wellbeing.cohorts.models import Enrollment
    assert ensure_demo()
    joined = db.session.scalars(select(AuditEvent).filter_by(action="enrollment.joined")).all()
    assert joined
    for event in joined:
        enrollment = db.session.get(Enrollment, event.target_id)
        assert event.created_at.date() == enrollment.joined_at.date()
        created = db.session.scalar(select(AuditEvent).filter_by(
            action="cohort.created", target_type="Cohort", target_id=enrollment.cohort_id))
        assert created.created_at < enrollment.invited_at  # set up before the invitations
