"""Weeks opened and completed, practice logged and mail sent count in the cohort where they
happened. Moving someone used to carry their whole history into the target's counts: HR
could make a draft, move one person and a few people who had done nothing into it, and
read that person's progress off the counts. Neither cohort's figures may move now."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.reminders.helpers import at, plan_at, send_at
from wellbeing.cohorts.enrollment import move
from wellbeing.cohorts.models import Enrollment
from wellbeing.core.timeutil import now_utc
from wellbeing.course import practice, service
from wellbeing.extensions import db
from wellbeing.notifications.models import PENDING, SENT, OutboxMessage
from wellbeing.orgs.models import Organization
from wellbeing.outcomes import snapshots
from wellbeing.reminders import report

START = dt.date(2026, 3, 2)  # a Monday; week N opens START + 7(N-1) days at 09:00 London
MOVED_AT = at(2026, 3, 18, 12)  # week 3


def _joined(make_user, enroll, cohort, org, name):
    enrollment = enroll(make_user(org=org, name=name), cohort)
    enrollment.joined_at = at(2026, 3, 1, 12)
    db.session.commit()
    return enrollment


def _activity(enrollment, completed, opened, practice_days):
    """Through the participant's own writers, while they are in their first cohort."""
    for week in opened:
        service.record_opened(enrollment, week, START + dt.timedelta(days=7 * (week - 1)))
    for week in completed:
        service.set_complete(enrollment, week, START + dt.timedelta(days=7 * (week - 1) + 2))
    for day in practice_days:
        assert practice.add_entry(enrollment, START + dt.timedelta(days=day), "other", 20,
                                  None)


def _figures(client, cohort):
    """Everything staff see of a cohort's progress and mail: the completion page and the
    counts behind it, the outcome page's funnel and practice figures, the delivery view."""
    db.session.expire_all()
    org = db.session.get(Organization, cohort.org_id)
    data = snapshots.compute(cohort)
    page = client.get(f"/course/cohorts/{cohort.id}/completion").get_data(as_text=True)
    return {"completion": service.completion_counts(cohort), "completion page": page,
            "funnel": data["funnel"], "practice": data["practice"],
            "delivery": report.counts(cohort, org)}


def _week_steps(funnel):
    return [step for step in funnel if "week" in step[0]]


def _weekly(practice_rows):
    """Per week: who practised, and the quartiles (people: the group, not the history)."""
    return [(week, *rest) for week, _people, *rest in practice_rows]


@pytest.fixture
def world(make_cohort, make_user, enroll, org, facilitator, smtp_server):
    """Spring, running since 2 March: Pat and six others, with weeks, practice and mail.
    A draft with five people who have done nothing, starting the same day."""
    spring = make_cohort(org=org, name="Spring", start=START, facilitators=[facilitator])
    pat = _joined(make_user, enroll, spring, org, "Pat Moved")
    _activity(pat, completed=[1, 2], opened=[1, 2, 3], practice_days=[1, 3, 8, 15])
    for n in range(6):
        other = _joined(make_user, enroll, spring, org, f"Spring {n}")
        _activity(other, completed=[1, 2][:n % 3], opened=[1, 2, 3][:n % 4],
                  practice_days=[2, 9][:n % 3])
    plan_at(at(2026, 3, 9, 9, 0))  # week 2 opens: a mail to each of them
    send_at(at(2026, 3, 9, 9, 0))
    draft = make_cohort(org=org, name="Quiet draft", start=START, facilitators=[facilitator])
    draft.published_at = None
    for n in range(5):
        _joined(make_user, enroll, draft, org, f"Idle {n}")
    return spring, draft, pat


@time_machine.travel(MOVED_AT, tick=False)
def test_moving_someone_changes_neither_cohorts_counts(client, login, admin, world):
    spring, draft, pat = world
    sent = db.session.scalars(select(OutboxMessage).filter_by(
        enrollment_id=pat.id, status=SENT)).all()
    assert sent and not db.session.scalars(select(OutboxMessage).filter_by(
        enrollment_id=pat.id, status=PENDING)).all()
    login(client, admin)
    spring_before, draft_before = _figures(client, spring), _figures(client, draft)
    assert spring_before["completion"][1][1] == 5  # Pat's week 1 is in Spring's count
    assert draft_before["completion"] == (5, {})

    moved = client.post(f"/cohorts/{spring.id}/enrollments/{pat.id}/move",
                        data={"target": draft.id}, follow_redirects=True)
    assert "Pat Moved moved to “Quiet draft”" in moved.get_data(as_text=True)
    assert db.session.get(Enrollment, pat.id).cohort_id == draft.id

    # Spring: not one figure changes, on any page.
    assert _figures(client, spring) == spring_before
    # The draft: one more person, none of their history.
    after = _figures(client, draft)
    assert after["completion"] == (6, {})
    assert _week_steps(after["funnel"]) == _week_steps(draft_before["funnel"])
    assert all(count == 0 for _, count in _week_steps(after["funnel"]))
    assert after["funnel"][0] == ["Invited", 6]
    assert _weekly(after["practice"]) == _weekly(draft_before["practice"])
    assert after["delivery"] == draft_before["delivery"]
    assert [row.label for row in after["delivery"]] == ["Nudges and survey emails"]
    for week in (1, 2):
        cell = after["completion page"].split(f'<th scope="row">{week}</th>')[1]
        assert "Hidden: fewer than 5" in cell.split("</tr>")[0]
    assert "6 people have been enrolled in this cohort" in after["completion page"]

    # Pat still sees their own weeks as they left them.
    states = {s.week: s for s in service.weeks_for(db.session.get(Enrollment, pat.id))}
    assert [w for w, s in states.items() if s.completed_on] == [1, 2]


@time_machine.travel(MOVED_AT, tick=False)
def test_mail_still_to_send_goes_with_the_person_and_sent_mail_stays(
        make_cohort, make_user, enroll, org, admin, facilitator, smtp_server):
    spring = make_cohort(org=org, name="Spring", start=START)
    later = make_cohort(org=org, name="Summer", start=dt.date(2026, 4, 6))
    pat = _joined(make_user, enroll, spring, org, "Pat Moved")
    plan_at(at(2026, 3, 16, 9, 0))  # week 3 opens: sent
    send_at(at(2026, 3, 16, 9, 0))
    plan_at(at(2026, 3, 19, 8, 0))  # week 3's nudge on Thursday: planned, not sent
    db.session.expire_all()
    [nudge] = db.session.scalars(select(OutboxMessage).filter_by(status=PENDING)).all()
    [week_3] = db.session.scalars(select(OutboxMessage).filter_by(status=SENT)).all()
    assert nudge.cohort_id == week_3.cohort_id == spring.id
    move(db.session.get(Enrollment, pat.id), later, admin, now_utc())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, nudge.id).cohort_id == later.id
    assert db.session.get(OutboxMessage, week_3.id).cohort_id == spring.id
    sent = {row.label: row.figures["sent"].text for row in report.counts(spring, org)}
    assert sent["Week opened"] == "1"
    assert "Week opened" not in {row.label for row in report.counts(later, org)}
