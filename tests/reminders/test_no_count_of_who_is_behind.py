"""Nudges and survey reminders are planned only for people who are behind, so no page
or audit entry may count the unsent ones: rescheduling a cohort or withdrawing someone
reads the same whether or not anyone was behind (privacy review)."""
import datetime as dt

import time_machine
from sqlalchemy import select

from tests.cohorts.test_reschedule import form
from wellbeing.audit.models import AuditEvent
from wellbeing.course.service import record_opened
from wellbeing.extensions import db

from .helpers import at, plan_at, rows

START = dt.date(2026, 3, 2)
NUDGES_PLANNED = at(2026, 3, 5, 8, 0)  # week 1's nudge (Thu 09:00 London) is planned


def _cohort(make_cohort, make_user, enroll, org, name, opened):
    cohort = make_cohort(org=org, name=name, start=START)
    people = [enroll(make_user(org=org), cohort) for _ in range(6)]
    for enrollment in people[:opened]:
        record_opened(enrollment, 1, dt.date(2026, 3, 3))
    return cohort, people


def test_rescheduling_or_withdrawing_says_nothing_of_who_is_behind(
        client, login, admin, make_cohort, make_user, enroll, org):
    ahead, ahead_people = _cohort(make_cohort, make_user, enroll, org, "Ahead", opened=6)
    behind, behind_people = _cohort(make_cohort, make_user, enroll, org, "Behind", opened=0)
    plan_at(NUDGES_PLANNED)
    assert len(rows("nudge", week=1)) == 6  # all six of "Behind", none of "Ahead"
    login(client, admin)
    seen = {}
    for cohort, people in ((ahead, ahead_people), (behind, behind_people)):
        last = db.session.scalar(select(db.func.max(AuditEvent.id))) or 0
        with time_machine.travel(NUDGES_PLANNED, tick=False):
            done = client.post(f"/cohorts/{cohort.id}/edit", data=form(
                cohort, release_time="09:01"), follow_redirects=True)
            flash = done.get_data(as_text=True).split('class="flashes"')[1].split("</div>")[0]
            client.post(f"/cohorts/{cohort.id}/enrollments/{people[0].id}/withdraw",
                        data={}, follow_redirects=True)
        summaries = db.session.scalars(select(AuditEvent.summary).where(
            AuditEvent.id > last,
            AuditEvent.action.in_(("cohort.updated", "enrollment.withdrawn")))
            .order_by(AuditEvent.id)).all()
        seen[cohort.name] = (flash, [s.replace(cohort.name, "X") for s in summaries])
    assert seen["Ahead"] == seen["Behind"]
    flash, summaries = seen["Behind"]
    assert "Emails not sent yet follow the new dates" in flash
    assert "Withdrawn by staff; no more emails" in summaries
