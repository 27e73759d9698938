"""Demo reminders, so the mailbox and the delivery view have something to show in the
first minute: the running cohort's week news is planned at once; some demo participants
chose no quiet hours (their mail goes now, whatever the hour) and one lives in Tokyo;
and the facilitator has sent an announcement."""
import datetime as dt

from sqlalchemy import select

from ..auth.models import FACILITATOR, User
from ..cohorts.models import Cohort, Enrollment
from ..core.timeutil import now_utc
from ..extensions import db
from . import announcements
from .models import Announcement, MailPreference
from .planner import plan_due_messages

WELCOME = ("## Welcome to week three\n\nThis week is about **words of goodwill**. If the "
           "practice feels awkward at first, that is normal: be as kind to yourself as "
           "you would be to a friend learning something new.\n\nOur live session is on "
           "the usual day at 12:30.")


def add_demo_reminders(org, running: Cohort) -> None:
    now = now_utc()
    people = db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == running.id).order_by(User.id)).all()
    for index, user in enumerate(people):
        if index % 2 == 0:  # these people switched their quiet hours off
            db.session.add(MailPreference(user_id=user.id, week_opened=True, nudges=True,
                                          survey_reminders=True, quiet_start=dt.time(0, 0),
                                          quiet_end=dt.time(0, 0)))
        if index == 3:
            user.timezone = "Asia/Tokyo"
    db.session.commit()
    plan_due_messages(now)
    facilitator = db.session.scalar(select(User).filter_by(org_id=org.id, role=FACILITATOR))
    note = Announcement(org_id=org.id, cohort_id=running.id, author_id=facilitator.id,
                        subject="Welcome to week three", body=WELCOME, format="markdown")
    db.session.add(note)
    db.session.flush()
    announcements.send(note, facilitator, now)
    db.session.commit()
