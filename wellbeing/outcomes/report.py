"""What staff may see of outcome snapshots: every number passes core/suppression.py.

Means, spreads and changes are taken on the people who answered both surveys only (the
paired group): a mean over everyone who answered before the course beside a mean over
the paired group would let the few who did not answer afterwards be worked out by
subtraction. A statistic on fewer than the minimum group size is hidden with its reason,
the number who answered both is exact and every other count is rounded to the nearest
multiple of the minimum. No Flask here: pages, exports and charts
all read the same structures."""
from dataclasses import dataclass, field

from .. import instruments as catalogue
from ..core.suppression import (
    Figure,
    final_count,
    guard_sequence,
    guard_statistic,
    guard_total,
    rounded_count,
)
from ..surveys.models import POST, PRE
from ..surveys.staff_counts import kept_figure
from . import statistics as st
from .snapshots import TOTAL

SUBSCALE_CAVEAT = ("Each part of the self-compassion scale rests on two statements, too few "
                   "to measure it reliably on its own: read the total first.")


def better_words(better: str) -> str:
    return "higher is better" if better == "higher" else "lower is better"


@dataclass
class ScaleResult:
    key: str
    name: str
    better: str
    higher_means: str
    is_total: bool
    n: Figure
    change: st.PairedChange | None = None
    hidden: str | None = None  # the reason, when the statistics are hidden

    @property
    def direction(self) -> str:
        """In words: "higher means more stress; lower is better"."""
        return f"higher means {self.higher_means}; {better_words(self.better)}"

    @property
    def verdict(self) -> str:
        """Whether the mean moved the better way, in words, judged by its interval."""
        c = self.change
        if c is None:
            return ""
        if c.ci_low <= 0 <= c.ci_high:
            return "no clear change (the 95% interval includes no change)"
        return ("better on average" if (c.difference > 0) == (self.better == "higher")
                else "worse on average")


@dataclass
class InstrumentResult:
    instrument: object
    n_pre: Figure
    n_post: Figure
    n_paired: Figure
    scales: list[ScaleResult]
    reliable: list[tuple[str, Figure, str]] = field(default_factory=list)  # label, n, share
    reliable_threshold: float = 0.0
    reliable_note: str = ""  # over whom reliable change is counted, when not everyone
    reliable_total: int = 0  # how many people the reliable-change counts are over

    @property
    def total(self) -> ScaleResult:
        return self.scales[0]

    @property
    def subscales(self) -> list[ScaleResult]:
        return self.scales[1:]


def _scale(instrument, key: str, sums: st.PairSums, n: Figure, minimum: int) -> ScaleResult:
    if key == TOTAL:
        name, better, means = instrument.total_name, instrument.better, instrument.higher_means
    else:
        sub = next(s for s in instrument.subscales if s.key == key)
        name, better, means = sub.name, sub.better, sub.higher_means
    reason = guard_statistic(sums.n, minimum)
    change = None if reason else sums.change()
    if change is not None and _alike(change):
        change, reason = None, ALIKE
    return ScaleResult(key, name, better, means, key == TOTAL, n, change, reason)


ALIKE = ("Hidden: everyone in the group has the same score here (before, after, or in "
         "how much it changed), so its average would be each person's own.")


def _alike(change: st.PairedChange) -> bool:
    """Whether a spread is 0: the mean is then every person's score (or change), whatever
    the group's size. (A mean at the scale's end is one of these: everyone is at it.)"""
    return min(change.sd_pre, change.sd_post, change.sd_difference) < 1e-9


RELIABLE_LABELS = (st.IMPROVED, st.NO_CHANGE, st.WORSENED)


def _reliable_parts(n: int, reliable: dict[str, int], minimum: int) -> list[Figure]:
    """Improved / no reliable change / worsened of n people, as a page may show them."""
    return guard_total(n, [reliable.get(k, 0) for k in RELIABLE_LABELS], minimum)[1]


def instrument_result(code: str, counts: tuple[Figure, Figure, Figure],
                      scales: dict[str, st.PairSums], reliable: dict[str, int],
                      minimum: int, reliable_n: int | None = None,
                      reliable_note: str = "") -> InstrumentResult | None:
    """`counts`: n before, n after and n paired, already guarded together with every
    other count shown beside them. `reliable_n`: how many people the reliable-change
    counts are over, when not all who answered both (the organisation's page)."""
    instrument = catalogue.registry().get(code)
    if instrument is None:
        return None
    n_paired = scales[TOTAL].n if reliable_n is None else reliable_n
    results = [_scale(instrument, TOTAL, scales[TOTAL], counts[2], minimum)]
    results += [_scale(instrument, s.key, scales.get(s.key, st.PairSums()), counts[2],
                       minimum) for s in instrument.subscales]
    shown_reliable = []
    if not results[0].hidden and n_paired:
        parts = _reliable_parts(n_paired, reliable, minimum)
        for label, figure in zip(RELIABLE_LABELS, parts, strict=True):
            share = f"{100 * figure.exact / n_paired:.0f}%" if figure.is_exact else ""
            shown_reliable.append((label, figure, share))
    threshold = st.reliable_change_threshold(instrument.norm_sd, instrument.reliability)
    return InstrumentResult(instrument, *counts, results, shown_reliable, threshold,
                            reliable_note if shown_reliable else "", n_paired)


def summary_sentence(result: InstrumentResult) -> str:
    total = result.total
    name = result.instrument.total_name
    if total.hidden:
        return f"{name}: not shown. {total.hidden}"
    c = total.change
    d = result.instrument.decimals + 1
    return (f"{name}: the average went from {c.mean_pre:.{d}f} before the course to "
            f"{c.mean_post:.{d}f} after it among the {total.n.text} people who answered "
            f"both ({total.direction}): {total.verdict}.")


# ---- one cohort ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FunnelStep:
    label: str
    figure: Figure


@dataclass(frozen=True)
class PracticeWeek:
    week: int
    quartiles: tuple[float, float, float] | None
    hidden: str | None


@dataclass
class CohortView:
    results: list[InstrumentResult]
    funnel: list[FunnelStep]
    practice: list[PracticeWeek]

    @property
    def nothing_shown(self) -> bool:
        """Every number of the page is hidden (a cohort too small for any of them)."""
        counts = [f for r in self.results for f in (r.n_pre, r.n_post, r.n_paired)]
        counts += [step.figure for step in self.funnel]
        return (all(f.hidden for f in counts) and all(r.total.hidden for r in self.results)
                and all(week.quartiles is None for week in self.practice))


# Funnel steps the roster shows anyway (each person's status): "all of them" says nothing
# new there. Every other step, like the survey counts, is hidden when it could only
# mean everyone who could have answered or taken part ("everyone" in the snapshot).
ROSTER_STEPS = ("Invited", "Joined")
SURVEY_STEPS = {"Answered the survey before the course": PRE,
                "Answered the survey after the course": POST}


def _wave_figures(data: dict, minimum: int) -> dict[str, Figure]:
    """Each survey's count exactly as the survey pages show it: kept at its close and
    read against how many could have answered then (snapshots from December 2026)."""
    return {wave: kept_figure(n, everyone, minimum)
            for wave, (n, everyone) in data.get("waves", {}).items()}


def _answered(data: dict, item: dict, minimum: int,
              waves: dict[str, Figure]) -> tuple[Figure, Figure]:
    """Answered before, answered after, for one questionnaire of a snapshot."""
    everyone = data.get("everyone")
    return (waves.get(PRE) or rounded_count(item["n_pre"], minimum, everyone),
            waves.get(POST) or rounded_count(item["n_post"], minimum, everyone))


def cohort_view(data: dict, minimum: int, only: str | None = None) -> CohortView:
    """The number who answered both surveys is exact (a mean's interval gives it away
    anyway; across questionnaires, through one guard). Every other count of the page
    (answered before, after, each step of the engagement funnel) is rounded to the
    nearest multiple of the minimum, so no subtraction of two of them counts a few
    people."""
    items = {code: item for code, item in data["instruments"].items()
             if code in catalogue.registry()}
    paired = guard_sequence([item["scales"][TOTAL][0] for item in items.values()], minimum)
    everyone = data.get("everyone")  # snapshots from before December 2026 lack it
    waves = _wave_figures(data, minimum)
    figure = {}
    for (code, item), both in zip(items.items(), paired, strict=True):
        figure[code, 0], figure[code, 1] = _answered(data, item, minimum, waves)
        figure[code, 2] = both
    steps = data.get("funnel", [])
    for i, (label, n) in enumerate(steps):
        figure["funnel", i] = waves.get(SURVEY_STEPS.get(label)) or rounded_count(
            n, minimum, None if label in ROSTER_STEPS else everyone)
    results = []
    for code, item in items.items():
        if only and code != only:
            continue
        scales = {k: st.PairSums(*v) for k, v in item["scales"].items()}
        results.append(instrument_result(
            code, (figure[code, 0], figure[code, 1], figure[code, 2]), scales,
            item["reliable"], minimum))
    funnel = [FunnelStep(label, figure["funnel", i]) for i, (label, _) in enumerate(steps)]
    practice = []
    for week, people, q1, median, q3, *practised in data.get("practice", []):
        reason = practice_guard(people, practised[0] if practised else None, minimum)
        shown = None if reason else tuple(_to_five(q) for q in (q1, median, q3))
        practice.append(PracticeWeek(week, shown, reason))
    return CohortView(results, funnel, practice)


def _to_five(minutes: float) -> int:
    """Shown to the nearest 5 minutes: an exact quartile of a few people is often one
    person's own total, or the midpoint of two."""
    return int(5 * round(minutes / 5))


def practice_guard(people: int, practised: int | None, minimum: int) -> str | None:
    """Why a week's practice quartiles are hidden, or None. They rest on twice the
    minimum, and both those who practised and those who did not must reach the minimum:
    a quartile of 0, or above 0, tells how many are on each side of it."""
    if practised is None:  # a snapshot counted before this rule: no way to check it
        return "Hidden: counted before practice figures were checked for small groups."
    if people < 2 * minimum:
        return (f"Hidden: the spread of practice needs at least {2 * minimum} people, so "
                "that no quartile is one person's own minutes.")
    if min(practised, people - practised) < minimum:
        return (f"Hidden: fewer than {minimum} people practised that week, or fewer than "
                f"{minimum} did not, and the quartiles would show how few.")
    return None


ROUNDED_NOTE = " Each bar is rounded to the nearest {minimum}."


def funnel_sentence(steps: list[FunnelStep], minimum: int) -> str:
    """The engagement chart's sentence: where people stop, and that the bars are rounded."""
    rounded = any(s.figure.rounded is not None for s in steps)
    return stop_sentence(steps) + (ROUNDED_NOTE.format(minimum=minimum) if rounded else "")


def stop_sentence(steps: list[FunnelStep]) -> str:
    """The week where the most people stop, from the rounded weekly completions shown."""
    weekly = [(s.label, s.figure.rounded) for s in steps if s.label.startswith("Completed week")]
    pairs = [(a, b) for a, b in zip(weekly, weekly[1:], strict=False)
             if a[1] is not None and b[1] is not None]
    if not pairs:  # nothing was compared: saying "no week stands out" would claim it was
        return ("Where people stop is not shown: no two weeks in a row have enough people "
                "to be shown.")
    drops = [(a[1] - b[1], b[0]) for a, b in pairs if a[1] > b[1]]
    if not drops:
        return "No week stands out where people stop, among the weeks that can be shown."
    size, label = max(drops)
    week = label.lower().removeprefix("completed ")
    return (f"The largest fall in completed modules is at {week}: about {size} fewer "
            f"people completed it than the week before.")


# ---- an organisation: pooled over cohorts that may be shown on their own ---------------------

def pooled(snapshots: dict, cohorts: list, minimum: int, code: str):
    """The organisation's result for one questionnaire, pooled over the cohorts whose own
    groups reach the minimum. A cohort below it is left out entirely (not only hidden):
    otherwise the pooled figure minus the cohorts shown would give its figure.
    Returns (result or None, how many cohorts were left out)."""
    scales: dict[str, st.PairSums] = {}
    reliable: dict[str, int] = {}
    n_pre = n_post = left_out = reliable_n = 0
    reliable_from, counted = 0, 0
    hidden_parts: set[str] = set()  # parts a pooled cohort's own page hides
    for cohort in cohorts:
        snapshot = snapshots.get(cohort.id)
        item = snapshot.data["instruments"].get(code) if snapshot else None
        if item is None:
            continue
        sums = {k: st.PairSums(*v) for k, v in item["scales"].items()}
        own = cohort_result(snapshot, minimum, code)
        if (min(sums[TOTAL].n, item["n_pre"], item["n_post"]) < minimum or own is None
                or own.total.hidden):
            # Also when its own page hides the total because everyone there scored alike:
            # the pooled mean, less the other cohorts', would give that score back.
            left_out += 1
            continue
        hidden_parts.update(scale.key for scale in own.subscales if scale.hidden)
        for key, value in sums.items():
            scales[key] = scales.get(key, st.PairSums()) + value
        counted += 1
        # Reliable change only from cohorts whose own page shows all three counts: with
        # one hidden there, the organisation's count minus the other cohorts' would give it.
        if all(f.is_exact for f in _reliable_parts(sums[TOTAL].n, item["reliable"],
                                                    minimum)):
            for key, value in item["reliable"].items():
                reliable[key] = reliable.get(key, 0) + value
            reliable_n += sums[TOTAL].n
            reliable_from += 1
        # The sum of what each cohort's page shows, not the rounded sum of the exact counts:
        # two cohorts of "about 20" whose exact sum rounds to 45 would say that both were
        # 22 (or 23), and so that one or two stopped between before and after. A count
        # its cohort's page hides ("or everyone") hides the organisation's too.
        shown = [f.rounded for f in _answered(snapshot.data, item, minimum,
                                                _wave_figures(snapshot.data, minimum))]
        n_pre = None if n_pre is None or shown[0] is None else n_pre + shown[0]
        n_post = None if n_post is None or shown[1] is None else n_post + shown[1]
    if not scales:
        return None, left_out
    # Multiples of the minimum already: rounding them again leaves them as they are.
    counts = (final_count(scales[TOTAL].n, minimum), _sum_shown(n_pre, minimum),
              _sum_shown(n_post, minimum))
    note = "" if reliable_from == counted else (
        f"Counted over the {reliable_from} of {counted} cohorts whose own pages show all "
        f"three numbers ({reliable_n} people); in the others one of them is hidden, and the "
        "sum would give it away." if reliable_from else "")
    result = instrument_result(code, (counts[1], counts[2], counts[0]), scales, reliable,
                               minimum, reliable_n=reliable_n, reliable_note=note)
    for scale in result.subscales if result else []:
        if scale.key in hidden_parts:
            scale.change, scale.hidden = None, PART_HIDDEN_IN_A_COHORT
    return result, left_out


PART_HIDDEN_IN_A_COHORT = ("Hidden: a cohort's own page hides this part (everyone there "
                           "scored alike), and the organisation's figure would give it.")


def _sum_shown(total: int | None, minimum: int) -> Figure:
    if total is None:
        return Figure("hidden", hidden=True, reason=(
            "Hidden: a cohort's own page hides this count, and the total would give it."))
    return rounded_count(total, minimum)


def cohort_result(snapshot, minimum: int, code: str) -> InstrumentResult | None:
    if snapshot is None:
        return None
    return next(iter(cohort_view(snapshot.data, minimum, only=code).results), None)
