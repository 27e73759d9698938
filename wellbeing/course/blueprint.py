"""The course's URLs: the participant's weeks, practices, journal and practice log, and the
staff pages for completion counts and the organisation's own module text."""
import plotly
from flask import Blueprint, url_for

from ..auth.models import PARTICIPANT
from ..cohorts import hooks
from . import journal_views, log_views, service, staff_views, views
from .markdown import render_markdown

bp = Blueprint("course", __name__)
hooks.provide("weeks_with_modules", service.weeks_with_modules)


def _setup(state):
    app = state.app
    service.init_app(app)
    app.config.setdefault("HOME_ENDPOINTS", {}).update({PARTICIPANT: "course.home"})
    app.add_template_global(
        lambda: url_for("course.plotly_js", version=plotly.__version__), "plotly_js_url")
    app.add_template_filter(render_markdown, "markdown")


bp.record_once(_setup)

bp.add_url_rule("/", view_func=views.home, methods=["GET"])
bp.add_url_rule("/weeks/<int:week>", view_func=views.week, methods=["GET"])
bp.add_url_rule("/weeks/<int:week>/complete", view_func=views.complete, methods=["POST"])
bp.add_url_rule("/weeks/<int:week>/practices/<slug>", view_func=views.practice, methods=["GET"])
bp.add_url_rule("/assets/plotly-<version>.min.js", view_func=views.plotly_js, methods=["GET"])
bp.add_url_rule("/cohorts", view_func=staff_views.cohorts, methods=["GET"])
bp.add_url_rule("/cohorts/<int:cohort_id>/completion",
                view_func=staff_views.completion, methods=["GET"])
bp.add_url_rule("/modules", view_func=staff_views.modules, methods=["GET"])
bp.add_url_rule("/modules/<int:week>/edit",
                view_func=staff_views.edit_module, methods=["GET", "POST"])
bp.add_url_rule("/modules/<int:week>/restore",
                view_func=staff_views.restore_module, methods=["GET", "POST"])
bp.add_url_rule("/modules/new", view_func=staff_views.new_module, methods=["GET", "POST"])
bp.add_url_rule("/journal", view_func=journal_views.journal_home, methods=["GET", "POST"])
bp.add_url_rule("/journal/<int:entry_id>", view_func=journal_views.journal_entry, methods=["GET"])
bp.add_url_rule("/journal/<int:entry_id>/edit",
                view_func=journal_views.journal_edit, methods=["GET", "POST"])
bp.add_url_rule("/journal/<int:entry_id>/delete",
                view_func=journal_views.journal_delete, methods=["GET", "POST"])
bp.add_url_rule("/practice", view_func=log_views.practice_log, methods=["GET", "POST"])
bp.add_url_rule("/practice/<int:entry_id>/delete",
                view_func=log_views.delete_practice, methods=["POST"])
