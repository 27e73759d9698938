"""Invitations: one per enrollment, carrying a single-use sign-in link that lands on the
cohort's welcome page. One person: auth.service.issue_link. A whole CSV import: the same
rows written in bulk (tokens here, messages through notifications.queue_many), because
10,000 invitations one flush at a time take far too long."""
import datetime as dt
import secrets
from types import SimpleNamespace

from flask import current_app
from markupsafe import escape

from ..auth.models import LoginToken, User
from ..auth.service import issue_link, revoke_links, token_hash
from ..core.bulk import insert_rows
from ..core.timeutil import now_utc
from ..notifications.service import queue_many
from ..orgs.models import Organization
from .models import INVITED, Cohort, Enrollment

INVITATION_MINUTES = 7 * 24 * 60


def welcome_path(cohort: Cohort) -> str:
    return f"/welcome/{cohort.id}"


def invite(enrollment: Enrollment, cohort: Cohort, user: User,
           again_at: dt.datetime | None = None) -> bool:
    """Queue one invitation. Draft cohorts send none (publishing sends them).
    `again_at` makes a fresh key for someone invited again after withdrawing."""
    if cohort.is_draft:
        return False
    suffix = str(enrollment.id) + (f":again:{int(again_at.timestamp())}" if again_at else "")
    issue_link(user, next_path=welcome_path(cohort), kind="invitation",
               dedupe_suffix=suffix, minutes=INVITATION_MINUTES, enrollment_id=enrollment.id,
               cohort_id=cohort.id, cohort=cohort)
    return True


def resend(enrollment: Enrollment, cohort: Cohort, now: dt.datetime) -> bool:
    """A fresh invitation for someone who has not joined yet; the link sent before stops
    working, so only the newest one opens the course."""
    if cohort.is_draft or enrollment.status != INVITED:
        return False
    revoke_links(enrollment.user_id, welcome_path(cohort))
    return invite(enrollment, cohort, enrollment.user, again_at=now)


def revoke(enrollment: Enrollment, cohort: Cohort) -> int:
    """The invitation's link stops working (the invitation is cancelled)."""
    return revoke_links(enrollment.user_id, welcome_path(cohort))


def tell_moved(enrollment: Enrollment, cohort: Cohort, key: str,
               source_name: str | None = None) -> bool:
    """Queue 'your course has changed' with a link to `cohort`'s welcome page, for someone
    HR moved there (their first invitation named another cohort). Drafts send none: the
    message goes when the draft is published. `key` makes each move its own message."""
    if cohort.is_draft:
        return False
    issue_link(enrollment.user, next_path=welcome_path(cohort), kind="moved",
               dedupe_suffix=f"{enrollment.id}:{key}", minutes=INVITATION_MINUTES,
               enrollment_id=enrollment.id, cohort_id=cohort.id, cohort=cohort,
               source_name=source_name)
    return True


def invite_many(cohort: Cohort, org: Organization,
                people: list[tuple[int, dict]]) -> list[int]:
    """Queue invitations for (enrollment_id, {"id", "name", "email"}) pairs in bulk: the
    same messages and tokens issue_link writes, as one mail merge. People invited before
    are skipped. Returns the enrollment ids invited now."""
    if cohort.is_draft or not people:
        return []
    now = now_utc()
    expires = now + dt.timedelta(minutes=INVITATION_MINUTES)
    render = _mail_merge(org, cohort)
    link_root = f"{current_app.config['BASE_URL']}/signin/link/"
    subject = f"You're invited: {org.name} wellbeing course"
    tokens, rows = {}, []
    for enrollment_id, person in people:
        token = secrets.token_urlsafe(32)
        tokens[enrollment_id] = {
            "user_id": person["id"], "token_hash": token_hash(token),
            "next_path": welcome_path(cohort), "expires_at": expires, "created_at": now}
        body_text, body_html = render(person, link_root + token)
        rows.append({
            "org_id": org.id, "dedupe_key": f"invitation:{enrollment_id}", "kind": "invitation",
            "user_id": person["id"], "enrollment_id": enrollment_id, "cohort_id": cohort.id,
            "to_email": person["email"], "subject": subject,
            "body_text": body_text, "body_html": body_html, "due_at": now})
    invited = [row["enrollment_id"] for row in queue_many(rows)]
    # Only the links that went into a message are stored.
    insert_rows(LoginToken.__table__, [tokens[enrollment_id] for enrollment_id in invited])
    return invited


def _mail_merge(org: Organization, cohort: Cohort):
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
