"""Error pages for every failure, a form shown again when its CSRF token fails, a
rollback before the 500 page so a half-done change is never kept, and 503 with a
Retry-After hint while the database cannot be reached."""
from flask import Flask, current_app, make_response, redirect, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from ..auth.views import too_many_attempts
from ..core.pages import ERROR_TEXT, error_page
from ..extensions import db

# A PostgreSQL restart or failover takes seconds; browsers and clients that honour the
# header come back after this long.
RETRY_AFTER_SECONDS = 30

# Endpoints that only take a form's POST and show the form again on bad input -> the page
# the form lives on (and the address arguments it keeps).
FORM_PAGES = {
    "auth.request_link": ("auth.signin", ()),
    "cohorts.upload": ("cohorts.enroll", ("cohort_id",)),
    "account.delete": ("account.index", ()),
}


def _database_unreachable(error: Exception) -> bool:
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


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

    @app.errorhandler(405)
    def not_here(error):
        # A form shown again with its errors sits at the address it was posted to; opening
        # that address again (a reload, a bookmark) leads back to the form, not to a 405.
        if request.method == "GET":
            try:
                endpoint, args = app.url_map.bind_to_environ(request.environ).match(
                    method="POST")
            except HTTPException:
                endpoint = None
            if endpoint in FORM_PAGES:
                target, keep = FORM_PAGES[endpoint]
                return redirect(url_for(target, **{k: args[k] for k in keep}))
        return http_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error):
        try:
            return error_page(error.code or 500)
        except (OperationalError, InterfaceError) as unreachable:  # the page needs the user
            return database_unreachable(unreachable)

    @app.errorhandler(Exception)
    def unexpected(error):
        if _database_unreachable(error):
            return database_unreachable(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500)


def database_unreachable(error: Exception):
    """The database went away (a restart, a failover, a network cut): nothing of this
    request was stored, and the pool replaces its dead connections. Say so, and when to
    try again, rather than a 500 with a stack trace in the log."""
    current_app.logger.warning("database unreachable on %s %s (%s); answered 503",
                               request.method, request.path, type(error).__name__)
    try:
        db.session.rollback()
    except DBAPIError:
        pass  # the connection is gone with its transaction
    title, text = ERROR_TEXT[503]
    # Rendered without the context processors: they load the signed-in user and the
    # organisation, from the database that is not there.
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(
        title=title, text=text, retry_after=RETRY_AFTER_SECONDS)
    response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
