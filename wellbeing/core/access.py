"""Role checks, applied once per blueprint (or once at the top of a view)."""
from flask import abort, redirect, request, url_for
from flask_login import current_user


def require_roles(blueprint, *roles):
    """Every view of `blueprint` needs a signed-in user holding one of `roles`."""

    @blueprint.before_request
    def _check_role():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)
