"""What HR sets on a cohort, handed from the form to the service as one typed value."""
import datetime as dt
from dataclasses import dataclass

SCHEDULE_FIELDS = ("start_date", "release_time", "timezone", "weeks")
FIELDS = ("name", "capacity", "live_session_time", "live_session_minutes",
          "live_session_place") + SCHEDULE_FIELDS


@dataclass(frozen=True)
class CohortSettings:
    """What HR sets on a cohort, as the form hands it to the service."""
    name: str
    start_date: dt.date
    release_time: dt.time
    timezone: str
    weeks: int
    capacity: int | None = None
    live_session_time: dt.time | None = None
    live_session_minutes: int | None = None
    live_session_place: str | None = None

    @property
    def schedule_signature(self) -> str:
        """The schedule in one string: a confirmation names this exact schedule."""
        return "|".join(str(getattr(self, key)) for key in SCHEDULE_FIELDS)
