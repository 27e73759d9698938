"""Sign-in logic: passwords for staff, single-use emailed links for everyone."""
import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import func, select, update

from ..core.timeutil import now_utc
from ..extensions import db
from ..notifications.service import queue_email
from .models import LoginToken, User
from .passwords import verify_password


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def accounts(email: str) -> list[User]:
    """Every account with this address: one per organisation that has it."""
    return list(db.session.scalars(select(User).where(
        func.lower(User.email) == normalise_email(email)).order_by(User.id)))


def find_user(org_id: int, email: str) -> User | None:
    """The account with this address in this organisation."""
    return db.session.scalar(select(User).where(
        User.org_id == org_id, func.lower(User.email) == normalise_email(email)))


def check_password(email: str, password: str) -> list[User]:
    """The active staff accounts with this address whose password this is (more than one
    when the person works for several organisations with the same password)."""
    found = [user for user in accounts(email) if user.is_staff and user.is_active]
    if not found:
        verify_password(None, password)  # the same time whether or not the address exists
        return []
    return [user for user in found if verify_password(user.password_hash, password)]


def token_hash(token: str) -> str:
    """What is stored of a sign-in token (never the token itself); bulk invitations
    write the same."""
    return hashlib.sha256(token.encode()).hexdigest()


_SUBJECTS = {"sign-in": "Your sign-in link for Wellbeing ({org})",
             "staff-invitation": "{org} invites you to Wellbeing",
             "invitation": "You're invited: {org} wellbeing course",
             "moved": "Your course has changed: {cohort}"}


def issue_link(user: User, next_path: str | None = None, *, kind: str = "sign-in",
               dedupe_suffix: str | None = None, minutes: int | None = None,
               enrollment_id: int | None = None, cohort_id: int | None = None,
               **context) -> str:
    """Create a single-use sign-in token and queue the email that carries it.

    Sign-in links last SIGNIN_LINK_MINUTES; an invitation passes a longer life, since
    people open invitations days later. A link about one enrollment (an invitation, a
    move) names it and its cohort, so withdrawing or rescheduling finds the message.
    Returns the token."""
    token = secrets.token_urlsafe(32)
    minutes = minutes or current_app.config["SIGNIN_LINK_MINUTES"]
    db.session.add(LoginToken(
        user_id=user.id, token_hash=token_hash(token), next_path=next_path,
        expires_at=now_utc() + dt.timedelta(minutes=minutes),
    ))
    # Built by hand: links are also made by the worker and the CLI, outside a request.
    link = f"{current_app.config['BASE_URL']}/signin/link/{token}"
    queue_email(
        org_id=user.org_id, user_id=user.id, kind=kind, to_email=user.email,
        enrollment_id=enrollment_id, cohort_id=cohort_id,
        dedupe_key=f"{kind}:{dedupe_suffix or token_hash(token)[:32]}",
        subject=_SUBJECTS.get(kind, _SUBJECTS["invitation"]).format(
            org=user.org.name, cohort=getattr(context.get("cohort"), "name", "")),
        template=kind, user=user, link=link, minutes=minutes, **context,
    )
    return token


def revoke_links(user_id: int, next_path: str) -> int:
    """Links not used yet that would sign this person in to `next_path` stop working (an
    invitation sent again or cancelled). Returns how many."""
    return db.session.execute(
        update(LoginToken)
        .where(LoginToken.user_id == user_id, LoginToken.next_path == next_path,
               LoginToken.used_at.is_(None), LoginToken.expires_at > now_utc())
        .values(expires_at=now_utc())).rowcount


class LinkProblem(Exception):
    """The link cannot be used; the message is safe to show."""


def peek_link(token: str) -> LoginToken:
    """Check a link without using it (GET shows a confirm button)."""
    row = db.session.scalar(select(LoginToken).filter_by(token_hash=token_hash(token or "")))
    if row is None:
        raise LinkProblem("This sign-in link is not valid. It may have been copied "
                          "incompletely. Ask for a new one below.")
    if row.used_at is not None:
        raise LinkProblem("This sign-in link has already been used. Each link works "
                          "once; ask for a new one below.")
    if row.expires_at <= now_utc():
        # Say how long links last only for a sign-in link: an invitation lasted a week,
        # and "links last 15 minutes" would be wrong about it.
        minutes = current_app.config["SIGNIN_LINK_MINUTES"]
        life = row.expires_at - row.created_at if row.created_at else None
        lasts = (f" (links last {minutes} minutes)" if life is not None and abs(
            life - dt.timedelta(minutes=minutes)) < dt.timedelta(minutes=1) else "")
        raise LinkProblem(f"This sign-in link has expired{lasts}. Ask for a new one below.")
    return row


def consume_link(token: str) -> tuple[User, str | None]:
    """Use a link exactly once: the conditional UPDATE wins for one request only."""
    row = peek_link(token)
    result = db.session.execute(
        update(LoginToken)
        .where(LoginToken.id == row.id, LoginToken.used_at.is_(None),
               LoginToken.expires_at > now_utc())
        .values(used_at=now_utc())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise LinkProblem("This sign-in link has already been used. Ask for a new one below.")
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        db.session.rollback()
        raise LinkProblem("This sign-in link is not valid. Ask for a new one below.")
    if user.accepted_at is None:  # an invitation accepted
        user.accepted_at = now_utc()
    db.session.commit()
    return user, row.next_path
