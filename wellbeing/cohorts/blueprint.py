"""The staff cohort pages' URLs (HR manages every cohort of the org; facilitators see the
ones they run): one blueprint over the cohort views and the enrollment views."""
from flask import Blueprint

from ..audit.service import name_targets
from ..auth.models import ADMIN, FACILITATOR
from ..core.access import require_roles
from . import audit_names, enroll_views, views

name_targets("Cohort", audit_names.cohort_names)
name_targets("Enrollment", audit_names.enrollment_names)

bp = Blueprint("cohorts", __name__)
require_roles(bp, ADMIN, FACILITATOR)
bp.record_once(lambda state: state.app.config.setdefault("HOME_ENDPOINTS", {}).update(
    {ADMIN: "cohorts.index", FACILITATOR: "cohorts.index"}))

bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/new", view_func=views.create, methods=["GET", "POST"])
bp.add_url_rule("/<int:cohort_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:cohort_id>", view_func=views.detail, methods=["GET"])
bp.add_url_rule("/<int:cohort_id>/schedule", view_func=views.schedule_page, methods=["GET"])
bp.add_url_rule("/<int:cohort_id>/<any(archive, unarchive, publish):action>",
                view_func=views.lifecycle, methods=["GET", "POST"])
bp.add_url_rule("/<int:cohort_id>/enroll", view_func=enroll_views.enroll, methods=["GET", "POST"])
bp.register_error_handler(413, enroll_views.upload_too_large)
bp.add_url_rule("/<int:cohort_id>/imports", view_func=enroll_views.upload, methods=["POST"])
bp.add_url_rule("/<int:cohort_id>/imports/<token>", view_func=enroll_views.preview, methods=["GET"])
bp.add_url_rule("/<int:cohort_id>/imports/<token>",
                view_func=enroll_views.confirm, methods=["POST"])
bp.add_url_rule("/<int:cohort_id>/enrollments/<int:enrollment_id>/withdraw",
                view_func=enroll_views.withdraw_person, methods=["GET", "POST"])
bp.add_url_rule("/<int:cohort_id>/enrollments/<int:enrollment_id>/move",
                view_func=enroll_views.move_person, methods=["GET", "POST"])
