"""The shipped curriculum: one Markdown file per week with YAML front matter.

Every file is parsed and checked when the app starts, so a broken file stops the app with
a message naming the file and the field, instead of a participant meeting a broken page.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEEK_KEYS = {"week", "title", "intention", "practices", "reflection", "home_practice"}
PRACTICE_KEYS = {"slug", "title", "minutes", "lengths", "backdraft_note", "steps", "pocket",
                 "pacer", "imagery", "anytime"}
MAX_WEEK_PRACTICES = 4
# A breathing pacer between these rates (breaths a minute); slow breathing of about five to
# six a minute is what soothing rhythm breathing aims for.
PACER_RATES = (4.0, 8.0)
OTHER = "other"  # the practice-log choice for anything outside the course
# Safety and not-therapy paragraphs in a reading sit between these two markers (HTML
# comments, so they never show): an organisation may edit around them, never drop them.
PROTECTED = re.compile(r"<!--\s*safety\s*-->(.*?)<!--\s*/safety\s*-->", re.S)


def protected_blocks(reading: str) -> tuple[str, ...]:
    return tuple(block.strip() for block in PROTECTED.findall(reading or ""))


def plain(text: str) -> str:
    """Text compared without the markers, Markdown emphasis, quotes' shapes or spacing."""
    text = PROTECTED.sub(lambda m: m.group(1), text or "")
    text = re.sub(r"<!--.*?-->|[*_`>#]", " ", text, flags=re.S)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).lower()


def missing_blocks(required: tuple[str, ...], reading: str) -> list[str]:
    """The protected blocks that `reading` no longer contains, word for word."""
    have = plain(reading)
    return [block for block in required if plain(block) not in have]


class ContentError(ValueError):
    """A course file is missing, malformed, or has a wrong field; the message says where."""

    def __init__(self, filename: str, where: str, problem: str):
        self.filename, self.where = filename, where
        super().__init__(f"{filename}: {where}: {problem}" if where else f"{filename}: {problem}")


@dataclass(frozen=True)
class Step:
    """One instruction and the quiet that follows it, in seconds at the practice's usual
    length; the player stretches or shrinks every pause alike for the short and long
    versions."""
    text: str
    pause: int


@dataclass(frozen=True)
class Practice:
    slug: str
    title: str
    minutes: int
    backdraft_note: bool
    steps: tuple[Step, ...]
    week: int
    short_minutes: int = 0
    long_minutes: int = 0
    pocket: tuple[str, ...] = ()  # an in-the-moment form: a few lines, no timer
    pacer: float | None = None  # breaths a minute for the breathing pacer, if it has one
    imagery: bool = False  # guided imagery: a "before you begin" box with an eyes-open way
    anytime: bool = False  # open from day one whatever week it is (the grounding practice)

    @property
    def total_pause(self) -> int:
        return sum(step.pause for step in self.steps)

    def pauses_for(self, minutes: int) -> list[int]:
        """Each step's pause, in whole seconds, for a version `minutes` long."""
        scale = minutes * 60 / self.total_pause
        return [max(3, round(step.pause * scale)) for step in self.steps]


@dataclass(frozen=True)
class Week:
    week: int
    title: str
    intention: str
    practices: tuple[Practice, ...]
    reflection: str
    home_practice: str
    reading: str  # Markdown
    source: str = field(default="", compare=False)

    @property
    def protected(self) -> tuple[str, ...]:
        return protected_blocks(self.reading)


def _text(data: dict, key: str, fail) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        fail(key, "is missing or empty; it must be a line of text")
    return value.strip()


def _practice(raw, index: int, week: int, fail) -> Practice:
    where = f"practices[{index}]"
    if not isinstance(raw, dict):
        fail(where, "must be a mapping with slug, title, minutes, backdraft_note and steps")
    unknown = sorted(set(raw) - PRACTICE_KEYS)
    if unknown:
        fail(f"{where}.{unknown[0]}", "is not a known field (check the spelling)")
    slug = _text(raw, "slug", lambda k, p: fail(f"{where}.{k}", p))
    if not SLUG.match(slug):
        fail(f"{where}.slug", "must be lowercase letters, digits and hyphens, e.g. soles-of-feet")
    if slug == OTHER:
        fail(f"{where}.slug", f"'{OTHER}' is reserved for practices outside the course")
    title = _text(raw, "title", lambda k, p: fail(f"{where}.{k}", p))
    minutes = raw.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60:
        fail(f"{where}.minutes", "must be a whole number of minutes from 1 to 60")
    backdraft = raw.get("backdraft_note")
    if not isinstance(backdraft, bool):
        fail(f"{where}.backdraft_note", "must be true or false")
    lengths = raw.get("lengths")
    if not isinstance(lengths, dict) or set(lengths) != {"short", "long"}:
        fail(f"{where}.lengths", "must give a short and a long version in minutes, "
             "e.g. {short: 3, long: 10}")
    short, long_ = lengths["short"], lengths["long"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (short, long_)) \
            or not 1 <= short < long_ <= 60 or not short <= minutes <= long_:
        fail(f"{where}.lengths", f"short must be shorter than long (1 to 60 minutes), with "
             f"the usual {minutes} minutes between them")
    steps = raw.get("steps")
    if not isinstance(steps, list) or len(steps) < 2:
        fail(f"{where}.steps", "must be a list of at least two steps")
    parsed = tuple(_step(step, f"{where}.steps[{n}]", fail) for n, step in enumerate(steps))
    pocket = raw.get("pocket", [])
    if not isinstance(pocket, list) or (pocket and not 2 <= len(pocket) <= 6) or not all(
            isinstance(line, str) and line.strip() for line in pocket):
        fail(f"{where}.pocket", "must be a list of two to six short lines of text")
    pacer = raw.get("pacer")
    if pacer is not None and (isinstance(pacer, bool) or not isinstance(pacer, int | float)
                              or not PACER_RATES[0] <= pacer <= PACER_RATES[1]):
        fail(f"{where}.pacer", f"must be breaths a minute from {PACER_RATES[0]:g} to "
             f"{PACER_RATES[1]:g}, e.g. 5.5")
    flags = {}
    for name in ("imagery", "anytime"):
        flags[name] = raw.get(name, False)
        if not isinstance(flags[name], bool):
            fail(f"{where}.{name}", "must be true or false")
    return Practice(slug, title, minutes, backdraft, parsed, week, short, long_,
                    tuple(line.strip() for line in pocket),
                    float(pacer) if pacer is not None else None, **flags)


def _step(raw, where: str, fail) -> Step:
    if not isinstance(raw, dict) or set(raw) != {"text", "pause"}:
        fail(where, "must be a mapping with text and pause (seconds of quiet after it)")
    text = _text(raw, "text", lambda k, p: fail(f"{where}.{k}", p))
    pause = raw["pause"]
    if isinstance(pause, bool) or not isinstance(pause, int) or not 5 <= pause <= 900:
        fail(f"{where}.pause", "must be a whole number of seconds from 5 to 900")
    return Step(text, pause)


def parse_week(path: Path) -> Week:
    name = path.name

    def fail(where, problem):
        raise ContentError(name, where, problem)

    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", text, re.S)
    if not match:
        fail("", "must start with YAML front matter between two '---' lines")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 2}" if mark else "front matter"
        fail(line, f"is not valid YAML ({getattr(exc, 'problem', None) or exc})")
    if not isinstance(data, dict):
        fail("", "front matter must be a mapping of fields")
    unknown = sorted(set(data) - WEEK_KEYS)
    if unknown:
        fail(unknown[0], "is not a known field (check the spelling)")
    week = data.get("week")
    if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= 16:
        fail("week", "must be a whole number from 1 to 16")
    title = _text(data, "title", fail)
    intention = _text(data, "intention", fail)
    practices = data.get("practices")
    if not isinstance(practices, list) or not 2 <= len(practices) <= MAX_WEEK_PRACTICES:
        fail("practices", f"must be a list of two to {MAX_WEEK_PRACTICES} guided practices")
    parsed = tuple(_practice(raw, i, week, fail) for i, raw in enumerate(practices))
    reading = match.group(2).strip()
    if not reading:
        fail("reading", "the Markdown reading after the front matter is empty")
    return Week(week, title, intention, parsed, _text(data, "reflection", fail),
                _text(data, "home_practice", fail), reading, source=name)


def load_curriculum(directory: Path = CONTENT_DIR) -> dict[int, Week]:
    """All weeks, checked: numbers 1..N without gaps, each slug used once."""
    directory = Path(directory)
    files = sorted(directory.glob("*.md"))
    if not files:
        raise ContentError(str(directory), "", "holds no course files (*.md)")
    weeks: dict[int, Week] = {}
    slugs: dict[str, str] = {}
    for path in files:
        week = parse_week(path)
        if week.week in weeks:
            raise ContentError(path.name, "week",
                               f"{week.week} is already used by {weeks[week.week].source}")
        for n, practice in enumerate(week.practices):
            if practice.slug in slugs:
                raise ContentError(path.name, f"practices[{n}].slug",
                                   f"'{practice.slug}' is already used in {slugs[practice.slug]}")
            slugs[practice.slug] = path.name
        weeks[week.week] = week
    expected = list(range(1, len(weeks) + 1))
    if sorted(weeks) != expected:
        missing = sorted(set(expected) - set(weeks))
        raise ContentError(str(directory), "week",
                           f"weeks must run 1..{len(weeks)} without gaps; missing {missing}")
    return dict(sorted(weeks.items()))
