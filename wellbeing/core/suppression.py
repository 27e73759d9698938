"""The rule every number shown to staff goes through. No Flask here: pages, exports and
charts all ask the same functions.

- A figure resting on fewer respondents than the organisation's minimum group size is
  hidden, with its reason; never shown as 0, since "0" against "hidden" would tell staff
  the moment the first person answered.
- A figure that still moves (a survey still open, a course still running) is shown only as
  a band ("5–9"), so that watching it change does not reveal who just acted.
- Counts of the same people at different steps (answered before, answered after, each
  step of the course) are rounded to the nearest multiple of the minimum, always: the
  difference of two rounded counts may then be 0 or at least the minimum, so no
  subtraction says that a few people (1 to minimum - 1) stopped in between. (Showing them
  exactly when far apart and as a range when close did say it: a range was the sign.)
- A total beside all but one of its parts hides one more part, so the hidden one cannot
  be worked out by subtraction.
"""
from dataclasses import dataclass

FLOOR = 3  # an organisation may lower its minimum group size, never below this
# Lower edges of the bands above the minimum; the first band starts at the minimum.
BAND_EDGES = (10, 20, 50, 100, 200, 500, 1000)


def minimum_group_size(org) -> int:
    """The organisation's minimum group size, never below FLOOR."""
    return max(FLOOR, org.min_group_size)


@dataclass(frozen=True)
class Figure:
    """A number as staff may see it: `text` is what the page shows; `exact` is the
    number only when it may be shown exactly (else None)."""
    text: str
    exact: int | None = None
    hidden: bool = False
    reason: str | None = None
    rounded: int | None = None  # a count shown rounded ("about 25"): the value drawn

    @property
    def is_exact(self) -> bool:
        return self.exact is not None


def _hidden(minimum: int, out_of: int | None = None) -> Figure:
    """Below the minimum. Out of a known total, the same words also stand for "all of
    them" (see banded): two different texts would tell the two apart."""
    if out_of is not None:
        return Figure(f"fewer than {minimum}, or everyone", hidden=True, reason=(
            f"Hidden: fewer than {minimum} people, or all of them; either would say "
            f"what each person did."))
    return Figure(f"fewer than {minimum}", hidden=True,
                  reason=f"Fewer than {minimum} people: hidden so that nobody can be singled out.")


def band_bounds(n: int, minimum: int) -> tuple[int, int | None]:
    """The band holding n (n >= minimum), as (lowest, highest or None for open-ended)."""
    low = minimum
    for edge in BAND_EDGES:
        if edge <= low:
            continue
        if n < edge:
            return low, edge - 1
        low = edge
    return low, None


def band(n: int, minimum: int, out_of: int | None = None) -> str:
    """The band holding n: "fewer than 5", "5–9", "10–19", ... "1000 or more"; with
    `out_of`, never above it ("5–6" of 6)."""
    if n < minimum:
        return f"fewer than {minimum}"
    low, high = band_bounds(n, minimum)
    if out_of is not None and (high is None or high > out_of):
        high = out_of
    return f"{low} or more" if high is None else f"{low}–{high}"


def banded(n: int, minimum: int, reason: str, out_of: int | None = None) -> Figure:
    """A figure shown as its band (hidden below the minimum). Out of a known total, a
    band that can only mean "all of them" is hidden too, in the same words as a small
    group: it would say what each person did."""
    if n < minimum or (out_of is not None and band_bounds(n, minimum)[0] >= out_of):
        return _hidden(minimum, out_of)
    return Figure(band(n, minimum, out_of), reason=reason)


def live_count(n: int, minimum: int, out_of: int | None = None) -> Figure:
    """A count that can still change: never exact."""
    return banded(n, minimum, "Shown as a range while it can still change, so that "
                              "watching it does not show who just took part.", out_of)


def final_count(n: int, minimum: int) -> Figure:
    """A count that no longer changes: exact from the minimum up, else hidden."""
    if n < minimum:
        return _hidden(minimum)
    return Figure(str(n), exact=n)


def rounded_count(n: int, minimum: int, out_of: int | None = None) -> Figure:
    """A final count shown beside other counts of the same people: to the nearest
    multiple of the minimum ("about 25"), hidden below the minimum. Rounded whether or not
    it is close to another count, since rounding only the close ones would mark them.
    Out of a known total, hidden too when every count that rounds to it would mean all
    of them."""
    value = minimum * ((n + minimum // 2) // minimum)
    lowest = max(minimum, value - minimum // 2)  # the least n shown as this value
    if n < minimum or (out_of is not None and lowest >= out_of):
        return _hidden(minimum, out_of)
    return Figure(f"about {value}", rounded=value, reason=(
        f"Rounded to the nearest {minimum}, so that subtracting one number here from "
        f"another never counts fewer than {minimum} people (such as those who stopped "
        f"in between)."))


def guard_total(total: int, parts: list[int], minimum: int) -> tuple[Figure, list[Figure]]:
    """A total and the parts it is made of, as final counts. Parts below the minimum are
    hidden; while the hidden ones add up to fewer than the minimum, they could be worked
    out together by subtracting the others from the total, so the smallest part still
    shown is hidden too, and with none left to hide, the total."""
    figures = [final_count(n, minimum) for n in parts]
    reason = ("Hidden as well: with it shown, the hidden figures beside it could be "
              "worked out by subtraction.")
    while True:
        hidden = [n for n, f in zip(parts, figures, strict=True) if not f.is_exact]
        if not hidden or sum(hidden) >= minimum:
            return final_count(total, minimum), figures
        shown = [i for i, f in enumerate(figures) if f.is_exact]
        if not shown:
            return Figure("hidden", hidden=True, reason=reason), figures
        smallest = min(shown, key=lambda i: parts[i])
        figures[smallest] = Figure("hidden", hidden=True, reason=reason)


def guard_sequence(counts: list[int], minimum: int) -> list[Figure]:
    """Final counts that are all shown exactly elsewhere (the number who answered both
    surveys, once per questionnaire, which a mean's interval gives away): each is exact
    only if it differs from every exact one before it by 0 or by at least the minimum,
    else its band; below the minimum, hidden."""
    reason = (f"Shown as a range: subtracting it from another number shown here would "
              f"count fewer than {minimum} people.")
    shown: list[int] = []
    figures = []
    for n in counts:
        figure = final_count(n, minimum)
        if figure.is_exact and any(0 < abs(n - e) < minimum for e in shown):
            figure = Figure(band(n, minimum), reason=reason)
        if figure.is_exact:
            shown.append(n)
        figures.append(figure)
    return figures


def guard_statistic(n: int, minimum: int) -> str | None:
    """Why a statistic resting on n people (a mean, a spread, a change) is hidden, or None
    when it may be shown."""
    if n < minimum:
        return (f"Hidden: it would rest on fewer than {minimum} people, and so could "
                f"describe one person.")
    return None
