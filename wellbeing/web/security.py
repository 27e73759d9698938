"""Security headers, the session user loader and guards against unstorable input."""
from itertools import chain

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict

from ..auth.models import User
from ..extensions import db, login_manager

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # plotly.js adds <style> rules at run time; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def install(app: Flask) -> None:
    login_manager.login_view = "auth.signin"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition(".")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.session_version == int(version) else None

    app.request_class = NulFreeFormRequest

    @app.before_request
    def refuse_nul_characters():
        # No address anyone types holds a NUL character, and PostgreSQL cannot store one:
        # refuse such a URL with a clear page rather than fail while saving. The raw query
        # string is checked, not request.args, so that a page reading no query parameters
        # still reads none (the privacy route sweep relies on it). Forms: see below.
        if b"%00" in request.query_string:
            abort(400)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # A sign-in link's page must not pass its URL (the token) on as a Referer, not
        # even to our own stylesheet: it would land in access logs. It sends the origin
        # alone, which its button's form needs over HTTPS (Flask-WTF refuses a form
        # whose Referer is missing or another site's).
        response.headers.setdefault("Referrer-Policy", "strict-origin" if request.path
                                    .startswith("/signin/link/") else "same-origin")
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            # Pages carry personal data: never store them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class NulFreeFormRequest(Request):
    """Form text without NUL characters. No keyboard types one and PostgreSQL cannot store
    one; one pasted in (from a PDF, say) is dropped, so the rest of what the person wrote
    is kept and saved instead of the whole form being refused."""

    def _load_form_data(self):
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any("\x00" in value
                                    for value in chain.from_iterable(form.listvalues())):
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, value.replace("\x00", "")) for key, value in form.items(multi=True)])
