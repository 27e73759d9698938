"""Blueprints, error pages and template helpers: the web shell around the areas."""
from flask import Flask, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..core.timeutil import to_local
from ..orgs.models import DEFAULT_CRISIS_RESOURCES
from .contact_links import contact_links

BLUEPRINTS = [
    ("wellbeing.main.views", None),
    ("wellbeing.auth.views", None),
    ("wellbeing.orgs.views", "/org"),
    ("wellbeing.cohorts.views", "/cohorts"),
    ("wellbeing.cohorts.participant_views", None),
    ("wellbeing.audit.views", "/audit"),
    ("wellbeing.course.views", "/course"),
    ("wellbeing.surveys.views", "/surveys"),
    ("wellbeing.surveys.staff_views", "/surveys/cohorts"),
    ("wellbeing.account.views", "/account"),
]

# The role-aware menu: (label, endpoint, roles). Areas add their own entries here.
# Staff have no "Home": /home sends them to the cohorts list, already in their menu.
NAV = [
    ("Home", "main.home", ("participant",)),
    ("Cohorts", "cohorts.index", ("admin", "facilitator")),
    ("Module completion", "course.cohorts", ("admin", "facilitator")),
    ("Surveys", "survey_staff.index", ("admin", "facilitator")),
    ("Course content", "course.modules", ("admin",)),
    ("Practice log", "course.practice_log", ("participant",)),
    ("Journal", "course.journal_home", ("participant",)),
    ("My surveys", "surveys.index", ("participant",)),
    ("Audit log", "audit.index", ("admin",)),
    ("My data", "account.index", ("admin", "facilitator", "participant")),
    ("Settings", "orgs.settings", ("admin",)),
]

ERROR_TEXT = {
    400: ("Something in that request was not right",
          "Please go back, check what you entered and try again."),
    401: ("Please sign in", "You need to sign in to see this page."),
    403: ("This page is not available to you",
          "Your role does not include this page. If you think it should, ask your org admin."),
    404: ("Page not found", "There is nothing here, or you do not have access to it."),
    405: ("That action is not available here", "Please go back and use the page's buttons."),
    410: ("This link no longer works", "Ask for a new one."),
    413: ("That upload is too large",
          "Files and forms can be at most a few megabytes. Please send something smaller."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong on our side",
          "Nothing you entered has been lost that we already confirmed. Please try again "
          "in a moment; if it keeps happening, tell your IT team."),
}


def rerender_on_csrf_error(view):
    """Mark a view whose forms validate their own CSRF token: on a bad or missing token
    the view runs again, its form fails validation, and the page shows the message with
    what the user typed still in the fields."""
    view.rerender_on_csrf_error = True
    return view


class DatabaseId(IntegerConverter):
    """Numbers in URLs are row ids: one larger than the database can store is simply
    not found (404), instead of an overflow in the query."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    app.url_map.converters["int"] = DatabaseId
    for module_name, prefix in BLUEPRINTS:
        app.register_blueprint(import_module(module_name).bp, url_prefix=prefix)


def error_page(code: int, message: str | None = None):
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title,
                           text=message or text), code


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
            from ..auth.views import too_many_attempts
            return too_many_attempts()
        return error_page(429)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        from ..extensions import db
        db.session.rollback()
        return error_page(500)


# strftime codes that put a time of day in the text: only then does the zone matter.
_TIME_OF_DAY_CODES = ("%H", "%I", "%M")


def zone_city(zone: str) -> str:
    """The city part of a zone name: Europe/London -> London, America/New_York -> New York."""
    return zone.split("/")[-1].replace("_", " ")


def weeks_long(weeks: int) -> str:
    """"an 8-week course", "a 6-week course": the article goes by how the number sounds
    (eight, eleven and eighteen begin with a vowel)."""
    article = "an" if str(weeks).startswith("8") or weeks in (11, 18) else "a"
    return f"{article} {weeks}-week"


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(contact_links)
    app.add_template_filter(weeks_long)

    @app.template_filter("local")
    def local(moment, tz_name=None, fmt="%a %d %b %Y, %H:%M"):
        """The moment in the given zone (default: the signed-in user's). A format with a
        time of day gets the zone's city appended ("09:00 London"); a date-only format
        does not, since a date needs no time zone to be read."""
        if moment is None:
            return ""
        signed_in = bool(getattr(current_user, "is_authenticated", False))
        zone = tz_name or (current_user.display_timezone if signed_in else "UTC")
        text = to_local(moment, zone).strftime(fmt)
        if any(code in fmt for code in _TIME_OF_DAY_CODES):
            text += " " + zone_city(zone)
        return text

    def nav_items():
        # /home only redirects to the role's start page (HOME_ENDPOINTS), so "Home" is the
        # current page there, where people actually land.
        landing = app.config.get("HOME_ENDPOINTS", {}).get(current_user.role)
        items = []
        for label, endpoint, roles in NAV:
            if current_user.role in roles and endpoint in app.view_functions:
                here = {endpoint, landing} if endpoint == "main.home" and landing else {endpoint}
                items.append({"label": label, "url": url_for(endpoint),
                              "active": request.endpoint in here})
        return items

    @app.context_processor
    def shell():
        # Emails are rendered outside requests too, where there is no current user.
        signed_in = bool(getattr(current_user, "is_authenticated", False))
        org = current_user.org if signed_in else None
        return {"current_org": org, "show_dev_mailbox": app.config["SHOW_DEV_MAILBOX"],
                "nav_items": nav_items, "default_crisis_resources": DEFAULT_CRISIS_RESOURCES}
