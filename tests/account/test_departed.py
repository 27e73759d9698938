"""A deleted account leaves every staff figure as it was: its weeks, practice and mail
stay counted without the person, and the person stays counted among everyone ever
enrolled. Before, the completion page dropped by exactly what they had done."""
import datetime as dt
import re

import time_machine
from sqlalchemy import select

from wellbeing.account.service import delete_account
from wellbeing.auth.models import User
from wellbeing.cohorts.models import Enrollment
from wellbeing.course import service as course
from wellbeing.course.models import ModuleOpened, ModuleProgress, PracticeLog
from wellbeing.extensions import db
from wellbeing.notifications.models import FAILED, PENDING, SENT, OutboxMessage
from wellbeing.notifications.service import retry
from wellbeing.reminders import report
from wellbeing.surveys import service as surveys

START = dt.date(2026, 3, 2)
IN_WEEK_3 = dt.datetime(2026, 3, 17, 12, tzinfo=dt.UTC)


def _cohort(make_cohort, make_user, enroll, org, facilitator, name):
    """Ten people, eight of whom completed week 1 (opened it, logged a practice with a
    note): the first did, the last did not."""
    cohort = make_cohort(org=org, start=START, name=name, facilitators=[facilitator])
    people = [enroll(make_user(org=org, email=f"{name}{n}@acme.example.com"), cohort)
              for n in range(10)]
    for enrollment in people[:8]:
        record = {"org_id": org.id, "enrollment_id": enrollment.id, "cohort_id": cohort.id}
        db.session.add_all([
            ModuleOpened(**record, week=1, opened_on=dt.date(2026, 3, 3)),
            ModuleProgress(**record, week=1, completed_on=dt.date(2026, 3, 4)),
            PracticeLog(**record, day=dt.date(2026, 3, 4), practice="other", minutes=15,
                        note="My manager shouted again", entry_token="a" * 32)])
    db.session.commit()
    return cohort, people


def _completion(client, cohort) -> str:
    html = client.get(f"/course/cohorts/{cohort.id}/completion").get_data(as_text=True)
    start = html.index("people have been enrolled") - 10
    return html[start:html.index("</table>", start)]


def _delete(enrollment):
    delete_account(db.session.get(User, enrollment.user_id), delete_answers=False)


def test_deleting_someone_who_completed_week_1_or_someone_who_did_not_looks_the_same(
        client, login, facilitator, make_cohort, make_user, enroll, org):
    completed, x = _cohort(make_cohort, make_user, enroll, org, facilitator, "one")
    did_not, y = _cohort(make_cohort, make_user, enroll, org, facilitator, "two")
    with time_machine.travel(IN_WEEK_3, tick=False):
        login(client, facilitator)
        before = _completion(client, completed)
        assert "10 people have been enrolled" in before and "about 10 of 10" in before
        assert _completion(client, did_not) == before
        _delete(x[0])  # completed week 1
        _delete(y[9])  # did not
        # Until now: "about 5 of 9" against "about 10 of 9".
        assert _completion(client, completed) == before == _completion(client, did_not)
    assert course.completion_counts(completed) == (10, {1: 8})
    assert course.completion_counts(did_not) == (10, {1: 8})
    assert surveys.could_answer(completed) == surveys.could_answer(did_not) == 10


def test_the_kept_rows_hold_nothing_of_the_person(
        make_cohort, make_user, enroll, org, facilitator):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, facilitator, "kept")
    gone = people[0].id
    _delete(people[0])
    assert db.session.get(Enrollment, gone) is None
    for model, day in ((ModuleOpened, "opened_on"), (ModuleProgress, "completed_on")):
        cohort_ids = db.session.scalars(select(model.cohort_id)).all()
        assert cohort_ids == [cohort.id] * 8  # the person's row too
        assert db.session.scalar(select(model.id).where(model.enrollment_id == gone)) is None
        [kept] = db.session.scalars(select(model).where(model.enrollment_id.is_(None)))
        assert getattr(kept, day) == START  # not the day they did it
    # Practice goes: its day, practice and minutes would be the person's own habits.
    assert db.session.scalar(select(PracticeLog.id).where(
        PracticeLog.enrollment_id.is_(None))) is None
    others = db.session.scalars(select(PracticeLog.note)).all()
    assert others == ["My manager shouted again"] * 7  # nobody else's is touched


def test_someone_moved_out_counts_in_both_cohorts_after_deleting(
        make_cohort, make_user, enroll, org):
    spring, summer = make_cohort(org=org), make_cohort(org=org)
    moved = enroll(make_user(org=org), summer)
    moved.earlier_cohort_ids = str(spring.id)
    enroll(make_user(org=org), spring)
    db.session.commit()
    assert (surveys.could_answer(spring), surveys.could_answer(summer)) == (2, 1)
    _delete(moved)
    assert (surveys.could_answer(spring), surveys.could_answer(summer)) == (2, 1)
    assert (spring.departed, summer.departed) == (1, 1)


def test_a_cohort_whose_only_person_left_keeps_its_questionnaires_locked(
        make_cohort, make_user, enroll, org):
    cohort = make_cohort(org=org)
    only = enroll(make_user(org=org), cohort)
    assert surveys.questionnaires_locked(cohort)
    _delete(only)
    assert surveys.questionnaires_locked(cohort)


def _mail(enrollment, key, kind, status, **fields):
    user = db.session.get(User, enrollment.user_id)
    message = OutboxMessage(
        org_id=enrollment.org_id, dedupe_key=key, kind=kind, user_id=user.id,
        enrollment_id=enrollment.id, cohort_id=enrollment.cohort_id, week=2,
        to_email=user.email, subject="Week 2 is waiting", body_text=f"Hello {user.name}",
        body_html="<p>Hello</p>", unsubscribe_url="https://x.example/u/secret",
        status=status, **fields)
    db.session.add(message)
    return message


def test_the_delivery_view_does_not_change_when_someone_with_a_sent_nudge_leaves(
        make_cohort, make_user, enroll, org, facilitator):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, facilitator, "mail")
    for enrollment in people[:5]:  # five nudges sent: "5-9"; four would be hidden
        _mail(enrollment, f"nudge:{enrollment.id}:2", "nudge", SENT)
    leaving = people[0]
    _mail(leaving, f"week-opened:{leaving.id}:2", "week-opened", FAILED,
          last_error=f"550 {leaving.user.email} unknown")
    _mail(leaving, f"week-opened:{leaving.id}:3", "week-opened", PENDING)
    db.session.commit()
    before = report.counts(cohort, org)
    nudges = next(row for row in before if row.label == report.PROGRESS_LABEL)
    assert nudges.figures["sent"].text == "5\u20139"
    email = leaving.user.email
    _delete(leaving)
    after = report.counts(cohort, org)
    assert next(row for row in after if row.label == report.PROGRESS_LABEL) == nudges
    week_opened = {row.label: row.figures for row in after}["Week opened"]
    assert (week_opened["sent"].exact, week_opened["failed"].exact,
            week_opened["planned"].exact, week_opened["cancelled"].exact) == (0, 1, 0, 1)
    kept = db.session.scalars(select(OutboxMessage).where(OutboxMessage.cohort_id
                                                          == cohort.id)).all()
    theirs = [m for m in kept if m.user_id is None]
    assert len(theirs) == 3 and all(m.status != PENDING for m in theirs)
    for message in theirs:
        assert (message.to_email, message.subject, message.body_text, message.body_html,
                message.unsubscribe_url, message.enrollment_id, message.last_error) == (
            "", "", "", None, None, None, None)
        assert re.fullmatch("departed:[0-9a-f]{32}", message.dedupe_key)  # random
        # No week (which weeks they were behind), no time of their own (their time zone
        # and quiet hours grouped their rows): midnight of the day they left.
        assert (message.week, message.wave, message.attempts) == (None, None, 0)
        assert message.due_at == message.created_at
        assert (message.due_at.hour, message.due_at.minute, message.due_at.second) == (0, 0, 0)
    assert all(email not in (m.to_email, m.last_error) for m in kept)
    failed = next(m for m in theirs if m.status == FAILED)
    assert report.failed(cohort) == []  # nobody to name
    assert not retry(failed)  # and nothing to send to


def test_mail_about_no_cohort_and_mail_being_sent_still_goes_with_the_person(
        make_cohort, make_user, enroll, org):
    cohort = make_cohort(org=org)
    leaving = enroll(make_user(org=org), cohort)
    _mail(leaving, "nudge:sending", "nudge", "sending")
    user = leaving.user
    db.session.add(OutboxMessage(org_id=org.id, dedupe_key="sign-in:x", kind="sign-in",
                                 user_id=user.id, to_email=user.email, subject="Sign in",
                                 body_text="link", status=SENT))
    db.session.commit()
    _delete(leaving)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_another_organisations_mail_to_the_same_address_is_left_alone(
        make_cohort, make_user, enroll, org, make_org):
    cohort = make_cohort(org=org)
    leaving = enroll(make_user(org=org, email="sam@example.com"), cohort)
    other_org = make_org()
    elsewhere = enroll(make_user(org=other_org, email="sam@example.com"),
                       make_cohort(org=other_org))
    _mail(elsewhere, "week-opened:elsewhere", "week-opened", SENT)
    db.session.commit()
    _delete(leaving)
    [kept] = db.session.scalars(select(OutboxMessage).filter_by(org_id=other_org.id)).all()
    # Sam's account there is another account: its mail keeps its address and text.
    assert kept.to_email == "sam@example.com" and kept.user_id == elsewhere.user_id
