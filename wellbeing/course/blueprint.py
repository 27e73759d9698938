"""The course blueprint, shared by the participant's weeks, practices, journal and practice
log and the staff pages for completion counts and the organisation's own module text."""
import plotly
from flask import Blueprint, url_for

from ..auth.models import PARTICIPANT
from ..cohorts import hooks
from . import service
from .markdown import render_markdown

# The modules whose views add their routes to `bp` (the web shell loads them).
VIEWS = ("views", "practice_views", "staff_views", "recording_views", "journal_views",
         "log_views")
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
