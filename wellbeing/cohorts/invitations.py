"""Invitations: one per enrollment, carrying a single-use sign-in link that lands on the
cohort's welcome page. One person: auth.service.issue_link. A whole CSV import: the same
rows written in bulk (tokens and outbox messages with executemany), because 10,000
invitations one flush at a time take far too long."""
import datetime as dt
import secrets
from types import SimpleNamespace

from flask import current_app
from markupsafe import escape
from sqlalchemy import select

from ..auth.models import LoginToken
from ..auth.service import issue_link, token_hash
from ..core.bulk import chunks, insert_rows
from ..core.timeutil import now_utc
from ..extensions import db
from ..notifications.models import PENDING, OutboxMessage

INVITATION_MINUTES = 7 * 24 * 60
SWEEP_TASK = "wellbeing.sweep_outbox"
_SWEEP_AFTER_COMMIT = "wellbeing_cohorts_sweep_after_commit"


def welcome_path(cohort) -> str:
    return f"/welcome/{cohort.id}"


def invite(enrollment, cohort, user, again_at=None) -> bool:
    """Queue one invitation. Draft cohorts send none (publishing sends them).
    `again_at` makes a fresh key for someone invited again after withdrawing."""
    if cohort.is_draft:
        return False
    suffix = str(enrollment.id) + (f":again:{int(again_at.timestamp())}" if again_at else "")
    issue_link(user, next_path=welcome_path(cohort), kind="invitation",
               dedupe_suffix=suffix, minutes=INVITATION_MINUTES, enrollment_id=enrollment.id,
               cohort=cohort)
    return True


def tell_moved(enrollment, cohort, key: str, source_name: str | None = None) -> bool:
    """Queue 'your course has changed' with a link to `cohort`'s welcome page, for someone
    HR moved there (their first invitation named another cohort). Drafts send none: the
    message goes when the draft is published. `key` makes each move its own message."""
    if cohort.is_draft:
        return False
    issue_link(enrollment.user, next_path=welcome_path(cohort), kind="moved",
               dedupe_suffix=f"{enrollment.id}:{key}", minutes=INVITATION_MINUTES,
               enrollment_id=enrollment.id, cohort=cohort, source_name=source_name)
    return True


def invite_many(cohort, org, people: list[tuple[int, dict]]) -> list[int]:
    """Queue invitations for (enrollment_id, {"id", "name", "email"}) pairs in bulk.
    Writes what issue_link writes; existing keys are skipped, as queue_email would.
    Returns the enrollment ids invited now (not those invited before)."""
    if cohort.is_draft or not people:
        return []
    keys = {f"invitation:{enrollment_id}" for enrollment_id, _ in people}
    taken = set()
    for batch in chunks(keys):
        taken.update(db.session.scalars(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.in_(batch))))
    now = now_utc()
    expires = now + dt.timedelta(minutes=INVITATION_MINUTES)
    render = _mail_merge(org, cohort)
    link_root = f"{current_app.config['BASE_URL']}/signin/link/"
    subject = f"You're invited: {org.name} wellbeing course"
    tokens, messages, invited = [], [], []
    for enrollment_id, person in people:
        key = f"invitation:{enrollment_id}"
        if key in taken:
            continue
        invited.append(enrollment_id)
        token = secrets.token_urlsafe(32)
        tokens.append({"user_id": person["id"], "token_hash": token_hash(token),
                       "next_path": welcome_path(cohort), "expires_at": expires,
                       "created_at": now})
        body_text, body_html = render(person, link_root + token)
        messages.append({
            "org_id": org.id, "dedupe_key": key, "kind": "invitation",
            "user_id": person["id"], "enrollment_id": enrollment_id,
            "to_email": person["email"], "subject": subject,
            "body_text": body_text, "body_html": body_html,
            "status": PENDING, "due_at": now, "attempts": 0, "created_at": now})
    if tokens:
        insert_rows(LoginToken.__table__, tokens)
        insert_rows(OutboxMessage.__table__, messages)
        db.session.info[_SWEEP_AFTER_COMMIT] = True
    return invited


def _mail_merge(org, cohort):
    """The invitation rendered once with placeholders, then filled in per person: the
    same bodies as rendering the templates for each of 10,000 people, at a fraction of the
    cost. If a template changes a placeholder (a filter on the name, say), every person
    is rendered in full instead."""
    env = current_app.jinja_env
    text_t = env.get_template("emails/invitation.txt")
    html_t = env.get_template("emails/invitation.html")
    base = {"base_url": current_app.config["BASE_URL"], "unsubscribe_url": None,
            "cohort": cohort, "minutes": INVITATION_MINUTES}
    current_app.update_template_context(base)

    def full(person, link):
        context = dict(base, user=SimpleNamespace(org=org, **person), link=link)
        return text_t.render(context), html_t.render(context)

    nonce = secrets.token_hex(12)
    marks = {"name": f"n{nonce}", "email": f"e{nonce}", "id": f"i{nonce}"}
    link_mark = f"l{nonce}"
    text, html = full(marks, link_mark)
    if any(link_mark not in body or marks["name"] not in body for body in (text, html)):
        return full

    def merged(person, link):
        values = {marks[k]: str(person[k]) for k in marks}
        values[link_mark] = link
        return (_fill(text, values),
                _fill(html, {mark: str(escape(v)) for mark, v in values.items()}))
    return merged


def _fill(body: str, values: dict[str, str]) -> str:
    for mark, value in values.items():
        body = body.replace(mark, value)
    return body


def hand_to_worker() -> None:
    """After the commit: one sweep task sends every due message (10,000 single task
    messages would only slow the request). If the broker is down, beat's minute sweep
    does the same."""
    if not db.session.info.pop(_SWEEP_AFTER_COMMIT, False):
        return
    if not current_app.config.get("ENQUEUE_AFTER_COMMIT", True):
        return
    try:
        current_app.extensions["celery"].send_task(SWEEP_TASK)
    except Exception:  # noqa: BLE001 - the beat sweep picks the messages up anyway
        current_app.logger.warning("could not enqueue the outbox sweep; beat will")

