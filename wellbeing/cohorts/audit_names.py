"""How the audit log names cohorts and enrollments, as they are now: a renamed cohort
shows its new name, a deleted account shows nothing personal."""
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from .models import Cohort, Enrollment


def cohort_names(org_id: int, ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(Cohort.id, Cohort.name).where(
        Cohort.org_id == org_id, Cohort.id.in_(ids)))
    return {cohort_id: f"Cohort “{name}”" for cohort_id, name in rows}


def enrollment_names(org_id: int, ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Enrollment.id, User.name, Cohort.name)
        .join(User, User.id == Enrollment.user_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.id.in_(ids), Enrollment.org_id == org_id))
    return {enrollment_id: f"{person} in “{cohort}”" for enrollment_id, person, cohort in rows}
