"""The organisation's staff: HR invites facilitators and admins, changes roles, and turns
accounts off and on again. There is always at least one active org admin. Every change is
an audit event; callers commit."""
import datetime as dt

from sqlalchemy import func, select

from ..audit.service import record
from ..auth.models import ADMIN, ROLE_LABELS, STAFF_ROLES, User
from ..auth.service import find_user, issue_link, normalise_email
from ..extensions import db

INVITATION_MINUTES = 7 * 24 * 60
WELCOME_PATH = "/password?welcome=1"  # accept, then choose a password or keep using links


class PeopleProblem(Exception):
    """The change cannot be made; the message says why, in words HR can act on."""


def staff(org_id: int) -> list[User]:
    """Admins first, then facilitators, by name; deactivated accounts last."""
    return list(db.session.scalars(
        select(User).where(User.org_id == org_id, User.role.in_(STAFF_ROLES))
        .order_by(User.is_active_account.desc(), User.role, func.lower(User.name))))


def _active_admins(org_id: int) -> int:
    return db.session.scalar(select(func.count(User.id)).where(
        User.org_id == org_id, User.role == ADMIN, User.is_active_account.is_(True))) or 0


def invite(org, actor, *, email: str, name: str, role: str, now: dt.datetime) -> User:
    """Create a staff account and email its invitation (a sign-in link that lasts a week).
    An address that already has an account here or elsewhere is refused."""
    if role not in STAFF_ROLES:
        raise PeopleProblem("Choose Facilitator or Org admin.")
    address = normalise_email(email)
    existing = find_user(org.id, address)  # another organisation's accounts are theirs
    if existing is not None:
        what = ("a participant's account: staff accounts are kept apart from course places"
                if existing.role not in STAFF_ROLES else "already on this list")
        raise PeopleProblem(f"{existing.email} is {what}.")
    user = User(org_id=org.id, email=address, name=name.strip(), role=role, created_at=now)
    db.session.add(user)
    db.session.flush()
    issue_link(user, next_path=WELCOME_PATH, kind="staff-invitation",
               dedupe_suffix=f"{user.id}", minutes=INVITATION_MINUTES, role=ROLE_LABELS[role])
    record(org.id, actor.id, "staff.invited", user,
           f"Invited {ROLE_LABELS[role].lower()} {user.name}")
    return user


def change_role(user: User, actor, role: str) -> None:
    if role not in STAFF_ROLES or role == user.role:
        return
    if user.role == ADMIN and user.is_active_account and _active_admins(user.org_id) <= 1:
        raise PeopleProblem(f"{user.name} is the only active org admin. Make someone else "
                            "an org admin first, so the organisation is never without one.")
    before = user.role
    user.role = role
    record(user.org_id, actor.id, "staff.role_changed", user,
           f"{user.name}: {ROLE_LABELS[before]} → {ROLE_LABELS[role]}")


def set_active(user: User, actor, active: bool) -> None:
    """Deactivated staff cannot sign in, and their open sessions end at once."""
    if user.is_active_account == active:
        return
    if not active and user.role == ADMIN and _active_admins(user.org_id) <= 1:
        raise PeopleProblem(f"{user.name} is the only active org admin and cannot be "
                            "deactivated. Make someone else an org admin first.")
    user.is_active_account = active
    if not active:
        user.session_version += 1
    record(user.org_id, actor.id, "staff.reactivated" if active else "staff.deactivated",
           user, f"{user.name} {'can sign in again' if active else 'can no longer sign in'}")


def resend(user: User, actor, now: dt.datetime) -> None:
    """A fresh invitation for someone who has not accepted yet."""
    issue_link(user, next_path=WELCOME_PATH, kind="staff-invitation",
               dedupe_suffix=f"{user.id}:again:{int(now.timestamp())}",
               minutes=INVITATION_MINUTES, role=ROLE_LABELS[user.role])
    record(user.org_id, actor.id, "staff.invitation_resent", user,
           f"Sent {user.name} a new invitation")




def staff_names(org_id: int, ids: set[int]) -> dict[int, str]:
    """How the audit log names staff accounts (the targets of staff events)."""
    rows = db.session.execute(select(User.id, User.name, User.role).where(
        User.org_id == org_id, User.id.in_(ids)))
    return {user_id: f"{name} ({ROLE_LABELS[role].lower()})" for user_id, name, role in rows}
