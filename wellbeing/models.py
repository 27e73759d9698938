"""Imports every model so the metadata (and Alembic) sees the whole schema."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import LoginToken, User  # noqa: F401
from .cohorts.models import (  # noqa: F401
    Cohort,
    CohortFacilitator,
    Enrollment,
    EnrollmentImport,
)
from .core.heartbeats import Heartbeat  # noqa: F401
from .core.key_checks import KeyCheck  # noqa: F401
from .course.models import (  # noqa: F401
    JournalEntry,
    ModuleOpened,
    ModuleProgress,
    OrgModule,
    PracticeLog,
    PracticeMark,
    PracticeRecording,
)
from .notifications.models import OutboxMessage  # noqa: F401
from .orgs.models import Organization  # noqa: F401
from .outcomes.models import OutcomeSnapshot  # noqa: F401
from .reminders.models import Announcement, CohortPlan, MailPreference  # noqa: F401
from .surveys.models import (  # noqa: F401
    CohortSurveyPlan,
    SealedAnswers,
    SurveyCompletion,
    SurveyResponse,
)
from .surveys.snapshots import WaveSnapshot  # noqa: F401
