"""The one way to reach tenant data: every query is scoped to the signed-in user's
organisation, and an object of another organisation is simply not found (404)."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db


def current_org_id() -> int:
    if not current_user.is_authenticated:
        abort(401)
    return current_user.org_id


def org_select(model, *criteria):
    """SELECT model WHERE org_id = the current org AND criteria."""
    return select(model).where(model.org_id == current_org_id(), *criteria)


def org_get_or_404(model, object_id):
    obj = db.session.get(model, object_id) if isinstance(object_id, int) else None
    if obj is None or obj.org_id != current_org_id():
        abort(404)
    return obj
