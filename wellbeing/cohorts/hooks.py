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
