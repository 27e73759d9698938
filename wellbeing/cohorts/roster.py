"""A cohort's roster as staff see it: who is enrolled and their status (invited, joined,
left), never their progress. Searchable and filterable for cohorts of hundreds."""
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from ..auth.models import User
from ..core.search import contains
from .models import ACTIVE, INVITED, WITHDRAWN, Cohort, Enrollment

STATUS_LABELS = {INVITED: "Invited", ACTIVE: "Joined", WITHDRAWN: "Withdrawn"}


def roster_query(cohort: Cohort, *, search: str = "", status: str = "",
                 with_email: bool = False) -> Select:
    """Enrollments of the cohort with their person, current people first, by name.
    `search` matches the name (and the address, for those allowed to see addresses)."""
    query = (select(Enrollment).where(Enrollment.cohort_id == cohort.id)
             .join(Enrollment.user).options(contains_eager(Enrollment.user))
             .order_by(Enrollment.status == WITHDRAWN, func.lower(User.name)))
    if status in STATUS_LABELS:
        query = query.where(Enrollment.status == status)
    if search.strip():
        matches = [contains(User.name, search)]
        if with_email:
            matches.append(contains(User.email, search))
        query = query.where(or_(*matches))
    return query
