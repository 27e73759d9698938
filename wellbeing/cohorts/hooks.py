"""What the areas built on cohorts tell it, so that cohorts never imports them.

Cohort pages need two facts that belong to higher areas: how many weeks of modules an
organisation has (the course's), and which survey a participant should take next (the
surveys'). Those areas register a function here when they load; asking before they did
is a programming error, never a silent default."""
import datetime as dt
from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    _providers[name] = function


def _ask(name: str, *args):
    try:
        function = _providers[name]
    except KeyError:
        raise LookupError(f"nothing provides {name!r}; is its area's blueprint loaded?") from None
    return function(*args)


def weeks_with_modules(org_id: int) -> int:
    """How many weeks in a row, from week 1, have a module (the course provides it)."""
    return _ask("weeks_with_modules", org_id)


def next_survey(enrollment, now: dt.datetime):
    """The participant's next survey window, or None (the surveys provide it)."""
    return _ask("next_survey", enrollment, now)


_schedule_listeners: list[Callable[[Any, dt.datetime], None]] = []


def on_schedule_change(function: Callable[[Any, dt.datetime], None]) -> None:
    """Call `function(cohort, now)` in the same transaction whenever a cohort's weeks
    move (start date, time zone, release time, length): reminders re-plan their unsent
    mail there. Registering twice is harmless."""
    if function not in _schedule_listeners:
        _schedule_listeners.append(function)


def schedule_changed(cohort, now: dt.datetime) -> None:
    for function in _schedule_listeners:
        function(cohort, now)
