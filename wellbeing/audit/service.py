from ..extensions import db
from .models import AuditEvent


def record(org_id: int, actor_id: int | None, action: str, target=None, summary: str = ""):
    """Add an audit event to the current transaction (it commits with the change)."""
    event = AuditEvent(
        org_id=org_id, actor_id=actor_id, action=action, summary=summary[:500],
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
    )
    db.session.add(event)
    return event
