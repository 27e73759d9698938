"""Imports every model so the metadata (and Alembic) sees the whole schema."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import LoginToken, User  # noqa: F401
from .cohorts.models import Cohort, CohortFacilitator, Enrollment  # noqa: F401
from .course.models import ModuleProgress  # noqa: F401
from .notifications.models import OutboxMessage  # noqa: F401
from .orgs.models import Organization  # noqa: F401
from .surveys.models import CohortSurveyPlan, SurveyCompletion, SurveyResponse  # noqa: F401
