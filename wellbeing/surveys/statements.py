"""The statements that store a submitted wave, built once at import.

A statement built per request costs its compilation every time. These are compiled once
per process and executed with fresh parameters, which is most of the work of a survey
submission."""
from sqlalchemy import Integer, LargeBinary, String, bindparam, insert

from .models import SealedAnswers, SurveyCompletion

# Executed with one parameter set each: the completion (org_id, enrollment_id, wave), and
# the sealed answers (id, org_id, cohort_id, wave, owner, sealed).
COMPLETION = insert(SurveyCompletion.__table__)
SEALED = insert(SealedAnswers.__table__)


def _pg_completion_and_sealed():
    """PostgreSQL: the completion and the sealed answers in one statement, one round trip.
    The completion is a data-modifying WITH, which PostgreSQL runs to the end although
    nothing reads it, and a repeated completion fails the whole statement. The sealed
    row's id travels as `sealed_id`: a parameter named `id` would be given to the
    completion too."""
    completion = insert(SurveyCompletion.__table__).values(
        org_id=bindparam("org_id", type_=Integer),
        enrollment_id=bindparam("enrollment_id", type_=Integer),
        wave=bindparam("wave", type_=String))
    return insert(SealedAnswers.__table__).values(
        id=bindparam("sealed_id", type_=String), org_id=bindparam("org_id", type_=Integer),
        cohort_id=bindparam("cohort_id", type_=Integer), wave=bindparam("wave", type_=String),
        owner=bindparam("owner", type_=String),
        sealed=bindparam("sealed", type_=LargeBinary)).add_cte(completion.cte("completion"))


PG_COMPLETION_AND_SEALED = _pg_completion_and_sealed()
