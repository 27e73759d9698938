"""Reminder URLs: the preferences page (signed in) and one-click unsubscribe (no session,
no CSRF token: the signed token in the URL is the authority, as RFC 8058 requires)."""
from flask import Blueprint

from ..extensions import csrf
from . import (
                announce_views,
                delivery_views,
                exporters,  # noqa: F401 - adds the mail choices to the data download
                service,
                views,
)

service.init()

bp = Blueprint("reminders", __name__)
bp.add_url_rule("/preferences", view_func=views.preferences, methods=["GET", "POST"])
bp.add_url_rule("/unsubscribe/<token>", view_func=csrf.exempt(views.unsubscribe),
                methods=["GET", "POST"])
bp.add_url_rule("/cohorts/<int:cohort_id>/delivery", view_func=delivery_views.delivery,
                methods=["GET"])
bp.add_url_rule("/cohorts/<int:cohort_id>/delivery/<string:message>/retry",
                view_func=delivery_views.retry_message, methods=["POST"])
bp.add_url_rule("/cohorts/<int:cohort_id>/announcements/new",
                view_func=announce_views.write, methods=["GET", "POST"])
bp.add_url_rule("/cohorts/<int:cohort_id>/announcements/<int:announcement_id>/edit",
                view_func=announce_views.write, methods=["GET", "POST"])
bp.add_url_rule("/cohorts/<int:cohort_id>/announcements/<int:announcement_id>",
                view_func=announce_views.preview, methods=["GET", "POST"])
