"""Support text written by an org admin, made easy to act on: phone numbers become tel:
links (one tap on a phone), web and email addresses become links, and line breaks stay.
Everything else is escaped as plain text."""
import re
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup, escape

_CONTACT = re.compile(
    r"(?P<url>https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]])"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    # 3 to 15 digits, optionally after a +, in groups split by single spaces or hyphens:
    # 999, 116 123, +44 800 123 4567, 0800-068-4141. Not a part of a longer word.
    r"|(?P<phone>(?<![\w+/.:])\+?\d(?:[ -]?\d){2,14}(?![\w/:]))")
_YEAR = re.compile(r"(19|20)\d\d")


def _callable(number: str) -> bool:
    """Not a year ("since 2026") nor a short range ("9-17"): hyphens join the groups of
    long numbers only."""
    digits = sum(c.isdigit() for c in number)
    return not _YEAR.fullmatch(number) and ("-" not in number or digits >= 7)


def _link(match: re.Match) -> Markup:
    text = match.group(0)
    if match.group("phone") and not _callable(text):
        return escape(text)
    if match.group("url"):
        href = text
    elif match.group("email"):
        href = "mailto:" + text
    else:
        href = "tel:" + re.sub(r"[ -]", "", text)
    return Markup('<a href="{}">{}</a>').format(href, text)


@lru_cache(maxsize=64)
def contact_links(text: str | None) -> Markup:
    # Cached: every email's footer links the same organisation text, thousands of times
    # in one planner run.
    lines = []
    for line in (text or "").splitlines():
        out, last = Markup(), 0
        for match in _CONTACT.finditer(line):
            out += escape(line[last:match.start()]) + _link(match)
            last = match.end()
        lines.append(out + escape(line[last:]))
    return Markup("<br>").join(lines)


def place_link(place: str | None) -> Markup:
    """A live session's place: a web address (http or https only, so never `javascript:`)
    becomes a link to follow; a room or any other text stays plain, escaped text."""
    text = (place or "").strip()
    parts = urlsplit(text) if text and not any(c.isspace() for c in text) else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape(place or "")
    return Markup('<a href="{}" rel="noopener">{}</a>').format(text, text)
