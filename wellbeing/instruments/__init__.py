"""Survey instruments as data: one YAML file per questionnaire, checked when the app starts.

A broken definition stops start-up with a message naming the file and the field, so a
typo can never reach a participant as a wrong score.
"""
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RULES = ("mean", "sum")
BETTER = ("higher", "lower")  # which direction of a score is the hoped-for one


class InstrumentError(ValueError):
    """An instrument file is not valid; the message names the file and the field."""


@dataclass(frozen=True)
class Item:
    n: int
    text: str


@dataclass(frozen=True)
class Subscale:
    key: str
    name: str
    items: tuple[int, ...]
    better: str = "higher"
    higher_means: str = ""


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    topic: str
    instructions: str
    scale_min: int
    scale_max: int
    labels: dict
    items: tuple[Item, ...]
    reverse: frozenset
    subscales: tuple[Subscale, ...]
    subscale_rule: str
    total_rule: str
    multiplier: float
    total_name: str
    total_min: float
    total_max: float
    decimals: int
    higher_means: str
    reliability: float
    reliability_statistic: str
    reliability_source: str
    norm_sd: float
    norm_sd_source: str
    citation: str
    licence: str
    support: dict = field(default_factory=dict)
    source_file: str = ""
    better: str = "higher"
    subscale_note: str = ""

    @property
    def title(self) -> str:
        """The name with the code once, for staff lists: "Self-Compassion Scale – Short
        Form (SCS-SF)", "Perceived Stress Scale (10 items, PSS-10)" (not "(10 items)
        (PSS-10)"), and "WHO-5 Well-Being Index" as it already names its code."""
        if self.code in self.name:
            return self.name
        if self.name.endswith(")"):
            return f"{self.name[:-1]}, {self.code})"
        return f"{self.name} ({self.code})"

    @property
    def slug(self) -> str:
        return self.code.lower().replace("-", "")

    @property
    def values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def label(self, value: int) -> str:
        return self.labels.get(value, "")


class _Reader:
    def __init__(self, path: Path, data):
        self.path, self.data = path, data

    def fail(self, where: str, problem: str):
        raise InstrumentError(f"Instrument file {self.path.name}: field '{where}': {problem}")

    def get(self, where: str, kind, container=None, required=True):
        container = self.data if container is None else container
        if not isinstance(container, dict) or where.split(".")[-1] not in container:
            if required:
                self.fail(where, "is missing")
            return None
        value = container[where.split(".")[-1]]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            self.fail(where, f"must be {kind.__name__}, not {type(value).__name__}")
        if isinstance(value, str) and not value.strip():
            self.fail(where, "must not be empty")
        return value


def _parse(path: Path) -> Instrument:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InstrumentError(f"Instrument file {path.name}: not valid YAML: {exc}") from exc
    r = _Reader(path, data)
    if not isinstance(data, dict):
        r.fail("(top level)", "must be a mapping of fields")
    scale = r.get("scale", dict)
    lo, hi = r.get("scale.min", int, scale), r.get("scale.max", int, scale)
    if lo >= hi:
        r.fail("scale", f"min ({lo}) must be below max ({hi})")
    labels = r.get("scale.labels", dict, scale)
    for value, text in labels.items():
        if not isinstance(value, int) or not lo <= value <= hi:
            r.fail("scale.labels", f"{value!r} is not a value between {lo} and {hi}")
        if not isinstance(text, str) or not text.strip():
            r.fail(f"scale.labels.{value}", "must be a non-empty text")
    raw_items = r.get("items", list)
    items = []
    for index, raw in enumerate(raw_items, start=1):
        n = r.get(f"items[{index}].n", int, raw)
        if n != index:
            r.fail(f"items[{index}].n", f"is {n}; items must be numbered 1, 2, 3… in order")
        items.append(Item(n, r.get(f"items[{index}].text", str, raw).strip()))
    if not items:
        r.fail("items", "must list at least one item")
    numbers = set(range(1, len(items) + 1))
    reverse = r.get("reverse", list)
    if not set(reverse) <= numbers or not all(isinstance(n, int) for n in reverse):
        r.fail("reverse", f"{reverse} names items that do not exist (1–{len(items)})")
    subscales = []
    for index, raw in enumerate(r.get("subscales", list), start=1):
        sub_items = r.get(f"subscales[{index}].items", list, raw)
        if not sub_items or not set(sub_items) <= numbers:
            r.fail(f"subscales[{index}].items", f"{sub_items} names items that do not exist")
        better = r.get(f"subscales[{index}].better", str, raw)
        if better not in BETTER:
            r.fail(f"subscales[{index}].better", f"must be one of {', '.join(BETTER)}")
        subscales.append(Subscale(r.get(f"subscales[{index}].key", str, raw),
                                  r.get(f"subscales[{index}].name", str, raw),
                                  tuple(sub_items), better,
                                  r.get(f"subscales[{index}].higher_means", str, raw)))
    keys = [s.key for s in subscales]
    if len(set(keys)) != len(keys) or "total" in keys:
        r.fail("subscales", "keys must be unique and must not be 'total'")
    subscale_rule = r.get("subscale_rule", str)
    if subscale_rule not in RULES:
        r.fail("subscale_rule", f"must be one of {', '.join(RULES)}")
    total = r.get("total", dict)
    rule = r.get("total.rule", str, total)
    if rule not in RULES:
        r.fail("total.rule", f"must be one of {', '.join(RULES)}")
    multiplier = r.get("total.multiplier", float, total)
    if multiplier <= 0:
        r.fail("total.multiplier", "must be above 0")
    t_min, t_max = r.get("total.min", float, total), r.get("total.max", float, total)
    count = 1 if rule == "mean" else len(items)
    if (t_min, t_max) != (lo * count * multiplier, hi * count * multiplier):
        r.fail("total.min/max", f"({t_min:g}–{t_max:g}) does not match the scale and rule "
                                f"({lo * count * multiplier:g}–{hi * count * multiplier:g})")
    reliability = r.get("reliability", dict)
    alpha = r.get("reliability.value", float, reliability)
    if not 0 < alpha < 1:
        r.fail("reliability.value", "must be between 0 and 1")
    norm_sd = r.get("norm_sd", float)
    if norm_sd <= 0:
        r.fail("norm_sd", "must be above 0")
    better = r.get("better", str)
    if better not in BETTER:
        r.fail("better", f"must be one of {', '.join(BETTER)}")
    subscale_note = r.get("subscale_note", str, required=bool(subscales)) or ""
    support = r.get("support", dict, required=False) or {}
    if support:
        if support.get("score") not in ["total", *keys]:
            r.fail("support.score", "must be 'total' or a subscale key")
        bounds = [k for k in ("at_or_above", "at_or_below") if k in support]
        if len(bounds) != 1 or not isinstance(support[bounds[0]], int | float):
            r.fail("support", "needs exactly one number: at_or_above or at_or_below")
    return Instrument(
        code=r.get("code", str), name=r.get("name", str), topic=r.get("topic", str),
        instructions=r.get("instructions", str).strip(), scale_min=lo, scale_max=hi,
        labels=dict(labels), items=tuple(items), reverse=frozenset(reverse),
        subscales=tuple(subscales), subscale_rule=subscale_rule, total_rule=rule,
        multiplier=multiplier, total_name=r.get("total.name", str, total),
        total_min=t_min, total_max=t_max, decimals=r.get("total.decimals", int, total),
        higher_means=r.get("higher_means", str), reliability=alpha,
        reliability_statistic=r.get("reliability.statistic", str, reliability),
        reliability_source=r.get("reliability.source", str, reliability),
        norm_sd=norm_sd, norm_sd_source=r.get("norm_sd_source", str).strip(),
        citation=r.get("citation", str).strip(), licence=r.get("licence", str).strip(),
        support=dict(support), source_file=path.name, better=better,
        subscale_note=subscale_note.strip(),
    )


def load_directory(directory: Path) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        instrument = _parse(path)
        if instrument.code in found:
            raise InstrumentError(f"Instrument file {path.name}: field 'code': "
                                  f"{instrument.code} is already defined in "
                                  f"{found[instrument.code].source_file}")
        found[instrument.code] = instrument
    return found


_REGISTRY: dict[str, Instrument] | None = None


def registry() -> dict[str, Instrument]:
    """The shipped instruments, loaded and checked once per process."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_directory(HERE)
    return _REGISTRY


def get(code: str) -> Instrument:
    return registry()[code]
