"""The planner: beat runs plan_due_messages every minute (UTC). It writes the reminders
that fall due to the outbox and re-plans or cancels the unsent ones that changed.

Cheap when nothing is due: one query finds the cohorts that are running or about to, in
batches; a cohort is only planned in full when one of its moments comes within
PLAN_AHEAD of now since it was last planned (its CohortPlan bookmark), or when something
asked for a re-plan. Two planners at once: on PostgreSQL each takes a cohort's bookmark
with FOR UPDATE SKIP LOCKED, so they plan different cohorts; and every insert is ON
CONFLICT DO NOTHING on the unique dedupe key, so nothing is ever planned twice."""
import datetime as dt

from flask import current_app, render_template
from sqlalchemy import select, update

from ..auth.models import User
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..core.bulk import chunks
from ..core.insert_once import insert_once
from ..course.models import ModuleOpened
from ..course.service import modules_for
from ..extensions import db
from ..notifications.models import CANCELLED, PENDING, OutboxMessage
from ..notifications.service import queue_many
from ..orgs.models import Organization
from ..surveys.models import SurveyCompletion
from ..surveys.service import WAVE_NAMES
from . import kinds
from .expected import Planned, cohort_moments, planned_for
from .links import Links
from .models import CohortPlan, MailPreference
from .unsubscribe import unsubscribe_url

PLAN_AHEAD = dt.timedelta(hours=12)
COHORT_BATCH = 50
# The longest a cohort can still have mail after its start: 16 weeks, a follow-up up to
# 52 weeks later, open 21 days.
LONGEST_DAYS = 16 * 7 + 52 * 7 + 21 + 7


def plan_due_messages(now: dt.datetime) -> dict[str, int]:
    """Plan every cohort that needs it. Returns counts for the log."""
    totals = {"cohorts": 0, "planned": 0, "moved": 0, "cancelled": 0}
    last_id = 0
    while True:
        ids = list(db.session.scalars(
            select(Cohort.id).where(
                Cohort.id > last_id, Cohort.published_at.is_not(None),
                Cohort.archived_at.is_(None),
                Cohort.start_date <= (now + PLAN_AHEAD).date() + dt.timedelta(days=1),
                Cohort.start_date >= now.date() - dt.timedelta(days=LONGEST_DAYS))
            .order_by(Cohort.id).limit(COHORT_BATCH)))
        if not ids:
            return totals
        last_id = ids[-1]
        for cohort_id in ids:
            counts = _plan_if_needed(cohort_id, now)
            if counts is not None:
                totals["cohorts"] += 1
                for name, n in counts.items():
                    totals[name] += n


def _plan_if_needed(cohort_id: int, now: dt.datetime) -> dict[str, int] | None:
    insert_once(CohortPlan, cohort_id=cohort_id, planned_until=None, replan=True)
    query = select(CohortPlan).where(CohortPlan.cohort_id == cohort_id)
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # another planner has it
    bookmark = db.session.scalar(query.execution_options(populate_existing=True))
    if bookmark is None:
        db.session.rollback()
        return None
    cohort = db.session.get(Cohort, cohort_id)
    horizon = now + PLAN_AHEAD
    moments = cohort_moments(cohort)
    due_soon = bookmark.replan or bookmark.planned_until is None or any(
        bookmark.planned_until < m.moment <= horizon for m in moments)
    counts = plan_cohort(cohort, now, moments) if due_soon else None
    bookmark.planned_until, bookmark.replan = horizon, False
    db.session.commit()
    return counts


def replan_soon(cohort_ids) -> None:
    """Ask the next planner run for a full pass over these cohorts."""
    for batch in chunks(set(cohort_ids)):
        db.session.execute(update(CohortPlan).where(CohortPlan.cohort_id.in_(batch))
                           .values(replan=True))


def plan_cohort(cohort: Cohort, now: dt.datetime, moments=None) -> dict[str, int]:
    """Bring the cohort's unsent planned mail in line with its schedule and people:
    insert what falls due within PLAN_AHEAD, move what moved, cancel what no longer
    applies. Part of the caller's transaction."""
    moments = moments if moments is not None else cohort_moments(cohort)
    org = db.session.get(Organization, cohort.org_id)
    people = db.session.execute(
        select(Enrollment.id, User).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == ACTIVE,
               User.is_active_account.is_(True))).all()
    in_cohort = Enrollment.cohort_id == cohort.id
    preferences = {p.user_id: p for p in db.session.scalars(
        select(MailPreference).join(Enrollment, Enrollment.user_id == MailPreference.user_id)
        .where(in_cohort))}
    opened: dict[int, set[int]] = {}
    for enrollment_id, week in db.session.execute(
            select(ModuleOpened.enrollment_id, ModuleOpened.week)
            .join(Enrollment, Enrollment.id == ModuleOpened.enrollment_id).where(in_cohort)):
        opened.setdefault(enrollment_id, set()).add(week)
    done: dict[int, set[str]] = {}
    for enrollment_id, wave in db.session.execute(
            select(SurveyCompletion.enrollment_id, SurveyCompletion.wave)
            .join(Enrollment, Enrollment.id == SurveyCompletion.enrollment_id)
            .where(in_cohort)):
        done.setdefault(enrollment_id, set()).add(wave)

    expected: dict[str, tuple[Planned, int, User]] = {}
    for enrollment_id, user in people:
        for key, planned in planned_for(
                cohort, moments, enrollment_id, tz_name=user.timezone or org.timezone,
                preference=preferences.get(user.id), opened_weeks=opened.get(enrollment_id, set()),
                done_waves=done.get(enrollment_id, set()), now=now).items():
            expected[key] = (planned, enrollment_id, user)

    counts = {"planned": 0, "moved": 0, "cancelled": 0}
    pending = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.due_at)
        .join(Enrollment, Enrollment.id == OutboxMessage.enrollment_id)
        .where(in_cohort, OutboxMessage.status == PENDING,
               OutboxMessage.kind.in_(kinds.PLANNED_KINDS))).all()
    for message_id, key, due_at in pending:
        if key not in expected:
            counts["cancelled"] += _set_pending(message_id, status=CANCELLED,
                                                last_error="no longer applies")
            continue
        new = expected[key][0].due_at
        if new != due_at and (new > now or due_at > now):
            counts["moved"] += _set_pending(message_id, due_at=new)

    soon = [key for key, (planned, _, _) in expected.items()
            if planned.due_at <= now + PLAN_AHEAD]
    taken = set()
    for batch in chunks(soon):
        taken.update(db.session.scalars(select(OutboxMessage.dedupe_key)
                                        .where(OutboxMessage.dedupe_key.in_(batch))))
    new_rows = [expected[key] for key in soon if key not in taken]
    if new_rows:
        counts["planned"] = _write(cohort, org, new_rows, now)
    return counts


def _set_pending(message_id: int, **values) -> int:
    """Change a message only while it is still pending (a worker may claim it now)."""
    result = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == PENDING).values(**values))
    return result.rowcount


def _write(cohort, org, rows, now: dt.datetime) -> int:
    modules = modules_for(cohort.org_id, range(1, cohort.weeks + 1))
    links = Links(now)
    messages = []
    for planned, enrollment_id, user in rows:
        next_path = (f"/course/weeks/{planned.week}" if planned.week
                     else f"/surveys/{planned.wave}")
        choice = kinds.CHOICE_FOR_KIND[planned.kind]
        module = modules.get(planned.week) if planned.week else None
        context = {
            "user": user, "org": org, "cohort": cohort, "week": planned.week,
            "module_title": module.title if module else None,
            "wave_name": WAVE_NAMES.get(planned.wave), "closes_at": planned.valid_until,
            "tz_name": user.timezone or org.timezone,
            "link": links.make(planned.key, user.id, next_path),
            "unsubscribe_url": unsubscribe_url(user.id, choice.field),
            "base_url": current_app.config["BASE_URL"]}
        messages.append({
            "org_id": cohort.org_id, "dedupe_key": planned.key, "kind": planned.kind,
            "user_id": user.id, "enrollment_id": enrollment_id, "cohort_id": cohort.id,
            "week": planned.week,
            "wave": planned.wave, "to_email": user.email,
            "subject": render_template(f"emails/{planned.kind}.subject.txt", **context).strip(),
            "body_text": render_template(f"emails/{planned.kind}.txt", **context),
            "body_html": render_template(f"emails/{planned.kind}.html", **context),
            "unsubscribe_url": context["unsubscribe_url"], "due_at": planned.due_at})
    written = queue_many(messages, concurrent=True)
    links.store(written)
    return len(written)
