"""The staff cohort pages (HR manages every cohort of the org; facilitators see the ones
they run): one blueprint shared by the cohort views and the enrollment views, with its
role check and the audit names it provides."""
from flask import Blueprint

from ..audit.service import name_targets, scope_targets
from ..auth.models import ADMIN, FACILITATOR
from ..core.access import require_roles
from . import audit_names, joining

name_targets("Cohort", audit_names.cohort_names)
name_targets("Enrollment", audit_names.enrollment_names)
scope_targets("person", audit_names.person_targets)
scope_targets("cohort", audit_names.cohort_targets)

# The modules whose views add their routes to `bp` (the web shell loads them).
VIEWS = ("views", "enroll_views")
bp = Blueprint("cohorts", __name__)
require_roles(bp, ADMIN, FACILITATOR)
bp.record_once(lambda state: state.app.config.setdefault("HOME_ENDPOINTS", {}).update(
    {ADMIN: "cohorts.index", FACILITATOR: "cohorts.index"}))
bp.record_once(lambda state: joining.install(state.app))
