"""Role checks, applied once per blueprint (or once at the top of a view), and where a
request comes from (the demo mailbox answers this machine only, /metrics the networks
allowed to read it)."""
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
    address = _client_address()
    return address is not None and address.is_loopback


def from_networks(networks) -> bool:
    """The request comes from one of `networks` (ipaddress networks), by the same rule
    as from_this_machine."""
    address = _client_address()
    return address is not None and any(address in network for network in networks
                                       if network.version == address.version)


def _client_address():
    if not current_app.config["TRUSTED_PROXIES"] and (
            "X-Forwarded-For" in request.headers or "Forwarded" in request.headers):
        return None
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address
