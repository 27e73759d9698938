"""Enrolling people (one, or a checked CSV all at once), joining, withdrawing, moving.
Callers commit; every change records an audit event in the same transaction."""
import datetime as dt
import json
import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import delete, select, update

from ..audit.service import record
from ..auth.models import PARTICIPANT, User
from ..core.bulk import chunks, insert_rows
from ..core.timeutil import now_utc
from ..core.words import counted
from ..extensions import db
from ..notifications.pending import cancel_pending, shift_pending
from . import csvimport, schedule
from .csvimport import ERROR, NEW
from .invitations import invite, invite_many, revoke, tell_moved
from .models import ACTIVE, INVITED, WITHDRAWN, Enrollment, EnrollmentImport
from .service import cohort_org, seats_taken


class EnrollmentProblem(Exception):
    """The change cannot be made; the message is safe to show as it is."""


def refuse_if_closed(cohort, now: dt.datetime) -> None:
    """Nobody joins a course that has finished or been archived: an invitation to an
    8-week course that ended months ago helps no one."""
    state = schedule.status(cohort, now)
    if state in ("finished", "archived"):
        raise EnrollmentProblem(f"This cohort is {state}, so nobody can join it now. "
                                "Enroll people in a current or upcoming cohort instead.")


@dataclass(frozen=True)
class Person:
    """Someone HR enrolls by hand, with what a CSV row would say about them."""
    email: str
    name: str
    department: str = ""
    locale: str = ""
    timezone: str = ""


def enroll_one(cohort, actor, person: Person, now: dt.datetime) -> Enrollment:
    """Enroll one person, checked like a CSV row. Someone who withdrew earlier is invited
    again."""
    refuse_if_closed(cohort, now)
    email = (person.email or "").strip().lower()
    user = db.session.scalar(select(User).where(
        User.org_id == cohort.org_id, User.email == email)) if email else None
    previous = user and db.session.scalar(select(Enrollment).filter_by(
        cohort_id=cohort.id, user_id=user.id))
    if previous is not None and previous.status == WITHDRAWN:
        if cohort.capacity is not None and seats_taken(cohort) >= cohort.capacity:
            raise EnrollmentProblem(
                f"The cohort is full ({counted(cohort.capacity, 'place', 'places')}).")
        previous.status, previous.invited_at = INVITED, now
        previous.joined_at = previous.withdrawn_at = None
        record(cohort.org_id, actor.id, "enrollment.reinstated", previous,
               f"Enrolled again in “{cohort.name}”")
        db.session.flush()
        invite(previous, cohort, user, again_at=now)
        return previous
    rows = [dict(asdict(person), line=1, shape=None)]
    csvimport.check(cohort, rows)
    if rows[0]["status"] == ERROR:
        raise EnrollmentProblem(rows[0]["reason"][0].upper() + rows[0]["reason"][1:] + ".")
    enrollment, user = _add(cohort, rows[0], now)
    record(cohort.org_id, actor.id, "enrollment.created", enrollment,
           f"Enrolled in “{cohort.name}”")
    invite(enrollment, cohort, user)
    return enrollment


def _add(cohort, row, now):
    user = db.session.get(User, row["user_id"]) if row.get("user_id") else None
    if user is None:
        user = User(org_id=cohort.org_id, email=row["email"], name=row["name"],
                    role=PARTICIPANT, department=row["department"] or None,
                    locale=row["locale"] or "en", timezone=row["timezone"] or None)
        db.session.add(user)
        db.session.flush()
    enrollment = Enrollment(org_id=cohort.org_id, cohort_id=cohort.id, user_id=user.id,
                            status=INVITED, invited_at=now)
    db.session.add(enrollment)
    db.session.flush()
    return enrollment, user


def create_preview(cohort, actor, filename: str, data: bytes) -> EnrollmentImport:
    """Parse and check an upload and keep the result server-side. Raises FileProblem."""
    try:
        refuse_if_closed(cohort, now_utc())
    except EnrollmentProblem as problem:
        raise csvimport.FileProblem(str(problem)) from problem
    rows, ignored = csvimport.parse(data)
    totals = csvimport.check(cohort, rows)
    preview = EnrollmentImport(token=secrets.token_urlsafe(24), org_id=cohort.org_id,
                               cohort_id=cohort.id, actor_id=actor.id,
                               filename=(filename or "upload.csv")[:255],
                               payload=json.dumps({"rows": rows, "counts": totals,
                                                   "ignored": ignored}))
    db.session.add(preview)
    return preview


def load_preview(preview) -> dict:
    return json.loads(preview.payload)


class Stale(Exception):
    """Something changed since the preview; `preview` holds the fresh check."""

    def __init__(self, preview):
        super().__init__("changed since the preview")
        self.preview = preview


def confirm_import(preview, cohort, actor, now: dt.datetime) -> int:
    """Import every row or none. Returns how many people were enrolled. Raises
    EnrollmentProblem if already imported or the file has problems, Stale if the
    database changed since the preview in a way that makes rows fail now."""
    claimed = db.session.execute(
        update(EnrollmentImport)
        .where(EnrollmentImport.id == preview.id, EnrollmentImport.confirmed_at.is_(None))
        .values(confirmed_at=now))
    if claimed.rowcount != 1:
        raise EnrollmentProblem("This file has already been imported.")
    payload = load_preview(preview)
    if payload["counts"][ERROR]:
        raise EnrollmentProblem("Fix the rows with problems and upload the file again; "
                                "nothing was imported.")
    rows = payload["rows"]
    if csvimport.check(cohort, rows)[ERROR]:
        db.session.rollback()
        fresh = EnrollmentImport(token=secrets.token_urlsafe(24), org_id=cohort.org_id,
                                 cohort_id=cohort.id, actor_id=actor.id,
                                 filename=preview.filename,
                                 payload=json.dumps({"rows": rows,
                                                     "counts": csvimport.counts(rows),
                                                     "ignored": payload.get("ignored", [])}))
        db.session.add(fresh)
        db.session.commit()
        raise Stale(fresh)
    new = [r for r in rows if r["status"] == NEW]
    # Written in bulk (COPY on PostgreSQL), then the ids read back: RETURNING over 10,000
    # rows in batches is quadratic in SQLAlchemy 2.0's result splicing.
    if new:
        insert_rows(User.__table__, [
            {"org_id": cohort.org_id, "email": r["email"], "name": r["name"],
             "role": PARTICIPANT, "department": r["department"] or None,
             "locale": r["locale"] or "en", "timezone": r["timezone"] or None,
             "is_active_account": True, "created_at": now} for r in new])
    ids = _user_ids(cohort.org_id, [r["email"] for r in new])
    people = [{"id": r.get("user_id") or ids[r["email"]], "name": r["name"], "email": r["email"]}
              for r in rows]
    insert_rows(Enrollment.__table__, [
        {"org_id": cohort.org_id, "cohort_id": cohort.id, "user_id": p["id"],
         "status": INVITED, "invited_at": now} for p in people])
    by_user = dict(db.session.execute(select(Enrollment.user_id, Enrollment.id).where(
        Enrollment.cohort_id == cohort.id)).all())
    enrollment_ids = [by_user[p["id"]] for p in people]
    queued = len(invite_many(cohort, cohort_org(cohort),
                             list(zip(enrollment_ids, people, strict=True))))
    record(cohort.org_id, actor.id, "enrollment.imported", cohort,
           f"Imported {counted(len(rows), 'person', 'people')} from {preview.filename} "
           f"into “{cohort.name}” "
           f"({len(new)} new account{'s' if len(new) != 1 else ''}, {queued} invitation"
           f"{'s' if queued != 1 else ''} queued)")
    # The people are enrolled now; the upload's names and addresses are not kept.
    preview.payload = json.dumps({"rows": [], "counts": payload["counts"]})
    return len(rows)


PREVIEW_KEPT = dt.timedelta(days=1)


def purge_previews(now: dt.datetime) -> int:
    """Delete uploads checked but never confirmed within a day: they hold the names and
    addresses of people who were never enrolled."""
    result = db.session.execute(
        delete(EnrollmentImport).where(EnrollmentImport.confirmed_at.is_(None),
                                       EnrollmentImport.created_at < now - PREVIEW_KEPT))
    db.session.commit()
    return result.rowcount


def _user_ids(org_id: int, emails: list[str]) -> dict[str, int]:
    found = {}
    for batch in chunks(emails):
        found.update((email, uid) for uid, email in db.session.execute(
            select(User.id, User.email).where(User.org_id == org_id, User.email.in_(batch))))
    return found


def join(enrollment, now: dt.datetime) -> bool:
    """The participant opened their welcome page. True on the first visit."""
    if enrollment.status != INVITED:
        return False
    enrollment.status, enrollment.joined_at = ACTIVE, now
    record(enrollment.org_id, enrollment.user_id, "enrollment.joined", enrollment,
           "Joined the course")
    return True


def withdraw(enrollment, actor, now: dt.datetime) -> int:
    """No more emails; their data stays as the withdraw page says. Returns messages
    cancelled (for the caller's logs only: reminders are planned only for people who are
    behind, so the number would say whether this person was)."""
    if enrollment.status == WITHDRAWN:
        return 0
    if enrollment.status == INVITED:  # a cancelled invitation: its link stops working
        revoke(enrollment, enrollment.cohort)
    enrollment.status, enrollment.withdrawn_at = WITHDRAWN, now
    cancelled = cancel_pending([enrollment.id])
    how = "Left the course" if actor.id == enrollment.user_id else "Withdrawn by staff"
    record(enrollment.org_id, actor.id, "enrollment.withdrawn", enrollment,
           f"{how}; no more emails")
    return cancelled


def move(enrollment, target, actor, now: dt.datetime) -> None:
    """Move someone to another cohort of the same organisation, keeping their
    enrollment (joined date, completed modules) and moving their pending messages."""
    source = enrollment.cohort
    if target.org_id != enrollment.org_id or target.id == source.id:
        raise EnrollmentProblem("Choose a different cohort of your organisation.")
    if target.archived_at is not None:
        raise EnrollmentProblem(f"“{target.name}” is archived; choose another cohort.")
    if schedule.course_end_at(target) <= now:
        raise EnrollmentProblem(f"“{target.name}” has finished; choose a cohort that is "
                                "running or still to start.")
    if enrollment.status == WITHDRAWN:
        raise EnrollmentProblem("This person has withdrawn; enroll them in the other "
                                "cohort instead.")
    if db.session.scalar(select(Enrollment.id).filter_by(cohort_id=target.id,
                                                         user_id=enrollment.user_id)):
        raise EnrollmentProblem(f"They already have an enrollment in “{target.name}”.")
    if target.capacity is not None and seats_taken(target) >= target.capacity:
        raise EnrollmentProblem(f"“{target.name}” is full "
                                f"({counted(target.capacity, 'place', 'places')}).")
    shift_pending([enrollment.id], schedule.openings(source), schedule.openings(target), now,
                  cohort_id=target.id)
    # Answers, progress, practice and mail sent stay where they were given (each row keeps
    # its cohort_id): moving must not change any cohort's counts. The person still sees
    # their own weeks, found by enrollment.
    enrollment.earlier_cohort_ids = ",".join(
        str(c) for c in enrollment.answer_cohort_ids if c != target.id)
    enrollment.cohort_id = target.id
    enrollment.cohort = target
    record(enrollment.org_id, actor.id, "enrollment.moved", enrollment,
           f"Moved from “{source.name}” to “{target.name}”")
    # Tell them, with a link to the new cohort (a draft tells them when it is published).
    tell_moved(enrollment, target, f"{target.id}:{int(now.timestamp())}", source.name)
