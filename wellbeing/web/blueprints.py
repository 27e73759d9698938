"""Which area serves which URLs: every blueprint is registered here, in one list."""
from importlib import import_module

from flask import Flask
from werkzeug.routing import IntegerConverter

BLUEPRINTS = [
    ("wellbeing.main.views", None),
    ("wellbeing.auth.views", None),
    ("wellbeing.orgs.blueprint", "/org"),
    ("wellbeing.cohorts.blueprint", "/cohorts"),
    ("wellbeing.cohorts.participant_views", None),
    ("wellbeing.audit.views", "/audit"),
    ("wellbeing.course.blueprint", "/course"),
    ("wellbeing.surveys.views", "/surveys"),
    ("wellbeing.surveys.staff_views", "/surveys/cohorts"),
    ("wellbeing.account.views", "/account"),
    ("wellbeing.outcomes.views", "/outcomes"),
    ("wellbeing.reminders.blueprint", "/reminders"),
]


class DatabaseId(IntegerConverter):
    """Numbers in URLs are row ids: one larger than the database can store is simply
    not found (404), instead of an overflow in the query."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseId
    for module_name, prefix in BLUEPRINTS:
        module = import_module(module_name)
        for views in getattr(module, "VIEWS", ()):  # an area whose views span files
            import_module(f"{module.__package__}.{views}")
        app.register_blueprint(module.bp, url_prefix=prefix)
