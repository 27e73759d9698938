"""Recording audit events, and naming what they point at.

Areas above audit (cohorts, course, ...) register how to name their objects, so the audit
page can say "Cohort “Spring”" without audit importing them."""
import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, Select, and_, false, or_

from ..core.timeutil import now_utc
from ..extensions import db
from .models import ABOUT_PEOPLE, AuditEvent

# target type -> (org_id, ids) -> {id: readable name}, for ids of that organisation only
Namer = Callable[[int, set[int]], dict[int, str]]
_namers: dict[str, Namer] = {}
# filter ("person", "cohort") -> (org_id, words) -> [(target type, SELECT of target ids)]
Scope = Callable[[int, str], list[tuple[str, Select]]]
_scopes: dict[str, list[Scope]] = {}


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


def name_targets(target_type: str, namer: Namer) -> None:
    """Say how the audit page names objects of `target_type` (a model's class name)."""
    _namers[target_type] = namer


def scope_targets(name: str, scope: Scope) -> None:
    """Say which of an area's objects a filter ("person", "cohort") matches."""
    _scopes.setdefault(name, []).append(scope)


def in_scope(name: str, org_id: int, words: str) -> ColumnElement:
    """Events whose target matches `words` under every scope registered for `name`."""
    parts = [and_(AuditEvent.target_type == target_type, AuditEvent.target_id.in_(ids))
             for scope in _scopes.get(name, ()) for target_type, ids in scope(org_id, words)]
    return or_(*parts) if parts else false()


def target_names(target_type: str, org_id: int, ids: Iterable[int]) -> dict[int, str]:
    """Names for these objects of this organisation; unknown types get none."""
    namer = _namers.get(target_type)
    return namer(org_id, set(ids)) if namer else {}
