"""Error pages for every failure, a form shown again when its CSRF token fails, and a
rollback before the 500 page so a half-done change is never kept."""
from flask import Flask, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from ..auth.views import too_many_attempts
from ..core.pages import error_page
from ..extensions import db


def register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "rerender_on_csrf_error", False):
            return _rerender(view)
        return error_page(400, "This form had expired or was missing its security token. "
                                "Please go back, reload the page and submit again.")

    def _rerender(view):
        # The CSRF check runs before the blueprints' own checks (sign-in, role), so run
        # those first: the page is shown again only to someone allowed to see it.
        # The view runs without the posted token, so its form fails as the check did:
        # a form refused for its Referer alone (posted from another site over HTTPS)
        # must not pass on the token the view's form would accept.
        request.__dict__["form"] = ImmutableMultiDict(
            [(key, value) for key, value in request.form.items(multi=True)
             if not key.endswith("csrf_token")])
        try:
            for name in request.blueprints:
                for check in app.before_request_funcs.get(name, ()):
                    answer = check()
                    if answer is not None:
                        return answer
            return view(**(request.view_args or {}))
        except HTTPException as refused:  # not handled again inside an error handler
            return error_page(refused.code or 500)

    @app.errorhandler(429)
    def too_many(error):
        if request.endpoint in {"auth.signin_password", "auth.request_link"}:
            return too_many_attempts()
        return error_page(429)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500)
