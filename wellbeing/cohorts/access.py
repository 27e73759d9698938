"""Which cohorts a staff member may see: the one rule every staff page uses.

An org admin sees every cohort of their organisation; a facilitator only the cohorts they
run. A cohort of another organisation, or one a facilitator does not run, is simply not
found (404): they need not know it exists."""
from flask import abort
from flask_login import current_user
from sqlalchemy import Select

from ..auth.models import ADMIN
from ..core.tenancy import org_get_or_404, org_select
from ..extensions import db
from .models import Cohort, CohortFacilitator


def visible_cohorts_query(user=current_user) -> Select:
    """SELECT the cohorts `user` may see, newest start first."""
    query = org_select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())
    if user.role != ADMIN:
        query = query.join(CohortFacilitator, CohortFacilitator.cohort_id == Cohort.id).where(
            CohortFacilitator.user_id == user.id)
    return query


def visible_cohorts(user=current_user) -> list[Cohort]:
    return list(db.session.scalars(visible_cohorts_query(user)))


def cohort_for_staff(cohort_id: int, *, admin_only: bool = False) -> Cohort:
    """The cohort, if the signed-in staff member may see it (else 404); `admin_only`
    pages refuse facilitators with 403 before looking the cohort up, so that the answer
    is the same whether the cohort exists or not."""
    if admin_only and current_user.role != ADMIN:
        abort(403)
    cohort = org_get_or_404(Cohort, cohort_id)
    if current_user.role != ADMIN and current_user.id not in {
            u.id for u in cohort.facilitators}:
        abort(404)
    return cohort
