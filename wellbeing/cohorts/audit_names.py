"""How the audit log names cohorts and enrollments, as they are now (a renamed cohort
shows its new name, a deleted account shows nothing personal), and which of them its
person and cohort filters match."""
from sqlalchemy import Select, select

from ..auth.models import User
from ..core.search import contains
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


def person_targets(org_id: int, words: str) -> list[tuple[str, Select]]:
    """Enrollments of the people whose name or address contains `words`."""
    people = select(User.id).where(User.org_id == org_id, contains(User.name, words)
                                   | contains(User.email, words))
    return [("Enrollment", select(Enrollment.id).where(Enrollment.user_id.in_(people)))]


def cohort_targets(org_id: int, words: str) -> list[tuple[str, Select]]:
    """The cohorts whose name contains `words`, and their enrollments."""
    cohorts = select(Cohort.id).where(Cohort.org_id == org_id, contains(Cohort.name, words))
    return [("Cohort", cohorts),
            ("Enrollment", select(Enrollment.id).where(Enrollment.cohort_id.in_(cohorts)))]
