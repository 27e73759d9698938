"""Scores computed from an instrument's definition, once, when a survey is submitted."""
import math

from . import Instrument


class IncompleteAnswers(ValueError):
    """Some items are unanswered or out of range; `missing` lists their numbers."""

    def __init__(self, instrument: Instrument, missing: list[int]):
        super().__init__(f"{instrument.code}: items {missing} need an answer in range")
        self.missing = missing


def clean_answers(instrument: Instrument, answers: dict) -> dict[int, int]:
    """Item number -> chosen value, every item present and on the scale."""
    cleaned, missing = {}, []
    for item in instrument.items:
        raw = answers.get(item.n, answers.get(str(item.n)))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or not instrument.scale_min <= value <= instrument.scale_max:
            missing.append(item.n)
        else:
            cleaned[item.n] = value
    if missing:
        raise IncompleteAnswers(instrument, missing)
    return cleaned


def keyed(instrument: Instrument, answers: dict[int, int]) -> dict[int, int]:
    """Reverse-keyed items flipped so that every item points the same way."""
    top = instrument.scale_min + instrument.scale_max
    return {n: (top - v if n in instrument.reverse else v) for n, v in answers.items()}


def _combine(rule: str, values: list[int]) -> float:
    return sum(values) / len(values) if rule == "mean" else float(sum(values))


def score(instrument: Instrument, answers: dict) -> dict:
    """{"total": x, "subscales": {key: x}} from raw answers (validated here too), at full
    precision: rounding is for display only.

    The total is taken after reversing the reverse-keyed items, so that all point one way;
    each subscale is taken from its own items as answered (the published key for the
    SCS-SF: a higher self-judgment score means more self-judgment)."""
    raw = clean_answers(instrument, answers)
    values = keyed(instrument, raw)
    total = _combine(instrument.total_rule, list(values.values())) * instrument.multiplier
    subscales = {s.key: _combine(instrument.subscale_rule, [raw[n] for n in s.items])
                 for s in instrument.subscales}
    return {"total": total, "subscales": subscales}


def needs_support(instrument: Instrument, scores: dict) -> bool:
    """True when a score is in the range where we show support and crisis resources."""
    rule = instrument.support
    if not rule:
        return False
    value = scores["total"] if rule["score"] == "total" else scores["subscales"][rule["score"]]
    if "at_or_above" in rule:
        return value >= rule["at_or_above"]
    return value <= rule["at_or_below"]


def reliable_change(instrument: Instrument, before: float, after: float) -> int:
    """Jacobson & Truax: +1 / -1 when the change exceeds 1.96·SE_diff, else 0.
    The sign follows the numbers; whether up is good depends on the instrument."""
    se_diff = instrument.norm_sd * math.sqrt(2) * math.sqrt(1 - instrument.reliability)
    change = after - before
    if abs(change) <= 1.96 * se_diff:
        return 0
    return 1 if change > 0 else -1


def display(instrument: Instrument, value: float) -> str:
    return f"{value:.{instrument.decimals}f}"
