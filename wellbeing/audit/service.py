import datetime as dt

from ..core.timeutil import now_utc
from ..extensions import db
from .models import ABOUT_PEOPLE, AuditEvent


def record(org_id: int, actor_id: int | None, action: str, target=None, summary: str = ""):
    """Add an audit event to the current transaction (it commits with the change)."""
    event = AuditEvent(
        org_id=org_id, actor_id=actor_id, action=action, summary=summary[:500],
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
    )
    if action.startswith(ABOUT_PEOPLE):
        # Events about one person (joining, leaving, deleting their account, being
        # enrolled or moved) keep the day only: a time would line up with whatever else
        # that person did at that moment.
        event.created_at = dt.datetime.combine(now_utc().date(), dt.time(), tzinfo=dt.UTC)
    db.session.add(event)
    return event
