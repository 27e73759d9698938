"""Time: one clock, UTC everywhere in storage, zoneinfo for local display."""
from datetime import UTC, datetime
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
