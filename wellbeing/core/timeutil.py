"""Time: one clock, UTC everywhere in storage, zoneinfo for local display."""
from datetime import UTC, datetime
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

import sqlalchemy as sa


def now_utc() -> datetime:
    return datetime.now(UTC)


def is_valid_timezone(name: str) -> bool:
    return bool(name) and name in _zones()


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def all_timezones() -> list[str]:
    return sorted(z for z in _zones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


# Offered first in pickers: where most of our customers' people are.
COMMON_ZONES = (
    "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
    "Europe/Amsterdam", "Europe/Madrid", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Toronto", "America/Sao_Paulo", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "UTC",
)


def _zone_tab() -> list[str]:
    """Zones in use today, one line per region in tzdata's zone.tab: no old aliases
    (Asia/Calcutta, US/Eastern) that make a long list longer and harder to scan."""
    try:
        text = (resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return all_timezones()
    found = {line.split("\t")[2] for line in text.splitlines()
             if line and not line.startswith("#")}
    return sorted(found & _zones())


def picker_zones(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Choices for a time-zone picker: common zones, then every other zone in use today,
    keeping `current` (a saved alias, say) so editing never loses it."""
    rest = [z for z in _zone_tab() if z not in COMMON_ZONES]
    if current and current not in COMMON_ZONES and current not in rest and \
            is_valid_timezone(current):
        rest = sorted([*rest, current])
    label = {z: z.replace("_", " ") for z in (*COMMON_ZONES, *rest)}
    return {"Common time zones": [(z, label[z]) for z in COMMON_ZONES],
            "All time zones": [(z, label[z]) for z in rest]}


def to_local(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz_name))


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as UTC; refuses naive ones, which would be ambiguous."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use now_utc() or attach a zone")
        value = value.astimezone(UTC)
        # SQLite keeps no zone; store naive UTC there and re-attach on load.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
