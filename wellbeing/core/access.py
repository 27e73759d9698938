"""Role checks, applied once per blueprint (or once at the top of a view), and whether a
request comes from this machine (the demo mailbox answers nothing else)."""
import ipaddress

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user


def require_roles(blueprint, *roles):
    """Every view of `blueprint` needs a signed-in user holding one of `roles`."""

    @blueprint.before_request
    def _check_role():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)


def from_this_machine() -> bool:
    """The request comes from loopback: judged by the connection's address (behind
    TRUSTED_PROXIES, the client's address they report), never by the Host header. A
    forwarded request with no trusted proxy configured came through a proxy on this
    machine and may be from anywhere, so it does not count."""
    if not current_app.config["TRUSTED_PROXIES"] and (
            "X-Forwarded-For" in request.headers or "Forwarded" in request.headers):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback
