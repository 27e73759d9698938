"""The kinds of mail the planner writes, and the preference each optional kind obeys."""
from dataclasses import dataclass

WEEK_OPENED, NUDGE, SURVEY_OPEN, SURVEY_REMINDER = (
    "week-opened", "nudge", "survey-open", "survey-reminder")
ANNOUNCEMENT = "announcement"
PLANNED_KINDS = (WEEK_OPENED, NUDGE, SURVEY_OPEN, SURVEY_REMINDER)


@dataclass(frozen=True)
class Choice:
    """An optional kind as a person chooses it (and as one-click unsubscribe names it)."""
    field: str  # MailPreference column
    label: str
    hint: str
    kinds: tuple[str, ...]


CHOICES = (
    Choice("week_opened", "Each week's module has opened",
           "One email when a new week of the course opens.", (WEEK_OPENED,)),
    Choice("nudges", "A reminder when a module waits unread",
           "At most one per week, three days after it opened, only if you have not "
           "opened it.", (NUDGE,)),
    Choice("survey_reminders", "Surveys: opened and closing soon",
           "When a survey opens, and once before it closes if you have not answered.",
           (SURVEY_OPEN, SURVEY_REMINDER)),
)
CHOICE_BY_FIELD = {choice.field: choice for choice in CHOICES}
CHOICE_FOR_KIND = {kind: choice for choice in CHOICES for kind in choice.kinds}

# The names of the kinds only some people get (the others are named in
# notifications.service.NAMED_FAILURE_KINDS).
KIND_NAMES = {NUDGE: "Module waiting", SURVEY_OPEN: "Survey open",
              SURVEY_REMINDER: "Survey closing soon"}
