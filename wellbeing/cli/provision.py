"""Installation tasks shared by the CLI and the tests."""
from flask_migrate import upgrade
from sqlalchemy import func, select

from ..auth.models import ADMIN, User
from ..auth.passwords import hash_password
from ..core.timeutil import is_valid_timezone, now_utc
from ..extensions import db
from ..orgs.models import Organization


def upgrade_database() -> None:
    """The schema is created only by migrations."""
    upgrade()


def create_admin(org_name: str, email: str, name: str, password: str,
                 timezone: str = "Europe/London") -> User:
    if not is_valid_timezone(timezone):
        raise ValueError(f"Unknown time zone {timezone!r}; use an IANA name like Europe/Berlin.")
    email = email.strip().lower()
    org = db.session.scalar(select(Organization).filter_by(name=org_name))
    if org is None:
        org = Organization(name=org_name, timezone=timezone)
        db.session.add(org)
        db.session.flush()
    elif db.session.scalar(select(User).where(User.org_id == org.id,
                                              func.lower(User.email) == email)):
        raise ValueError(f"An account for {email} already exists in {org_name}.")
    user = User(org_id=org.id, email=email, name=name, role=ADMIN, accepted_at=now_utc(),
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    return user
