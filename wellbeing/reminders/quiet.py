"""Quiet hours: a reminder that would arrive while the person rests waits until the
next minute they are not resting, in their own time zone (zoneinfo, so a night that
spans a clock change ends at the right wall-clock time)."""
import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    # A time inside a spring-forward gap is normalised forward by the UTC round trip.
    return dt.datetime.combine(day, time, tzinfo=zone).astimezone(UTC)


def outside_quiet_hours(moment: dt.datetime, tz_name: str, start: dt.time,
                        end: dt.time) -> dt.datetime:
    """`moment` itself, or the end of the quiet hours it falls in. Equal start and end
    mean no quiet hours."""
    if start == end:
        return moment
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    clock, day = local.time().replace(tzinfo=None), local.date()
    if start < end:  # e.g. 13:00-14:00, within one day
        quiet = start <= clock < end
        ends = _at(day, end, zone)
    else:  # across midnight, e.g. 20:00-08:00
        quiet = clock >= start or clock < end
        ends = _at(day + dt.timedelta(days=1) if clock >= start else day, end, zone)
    return max(ends, moment) if quiet else moment
