"""What every template can use: the role-aware menu, the signed-in organisation, and the
filters for local times, course lengths and contact links."""
from flask import Flask, has_request_context, request, url_for
from flask_login import current_user

from ..core.access import from_this_machine
from ..core.timeutil import to_local
from ..orgs.models import DEFAULT_CRISIS_RESOURCES
from .contact_links import contact_links, place_link

# The role-aware menu: (label, endpoint, roles). Areas add their own entries here.
# Staff have no "Home": /home sends them to the cohorts list, already in their menu.
NAV = [
    ("Home", "main.home", ("participant",)),
    ("Cohorts", "cohorts.index", ("admin", "facilitator")),
    ("Module completion", "course.cohorts", ("admin", "facilitator")),
    ("Surveys", "survey_staff.index", ("admin", "facilitator")),
    ("Outcomes", "outcomes.index", ("admin", "facilitator")),
    ("Course content", "course.modules", ("admin",)),
    ("Practice log", "course.practice_log", ("participant",)),
    ("Journal", "course.journal_home", ("participant",)),
    ("My surveys", "surveys.index", ("participant",)),
    ("People", "orgs.people_page", ("admin",)),
    ("Audit log", "audit.index", ("admin",)),
    ("My data", "account.index", ("admin", "facilitator", "participant")),
    ("Settings", "orgs.settings", ("admin",)),
]

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
    app.add_template_filter(place_link)
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
        # The demo mailbox link only where the mailbox answers: this machine, embedded.
        mailbox = (app.config["SHOW_DEV_MAILBOX"] and has_request_context()
                   and from_this_machine())
        return {"current_org": org, "show_dev_mailbox": mailbox,
                "nav_items": nav_items, "default_crisis_resources": DEFAULT_CRISIS_RESOURCES}
