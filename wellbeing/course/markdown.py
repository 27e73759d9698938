"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only an allow-list.

Org admins can write their own reading text, so everything rendered here is treated as
untrusted: no scripts, no event handlers, no style, no javascript: or data: links.
"""
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "del", "sup", "sub", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"},
                      "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# html=True so an admin's harmless inline HTML (<em>, <abbr>) still works; nh3 is the gate.
_md = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"])


def _demote_h1(html: str) -> str:
    # The page owns the single <h1>; a reading's top heading becomes a section heading.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, clean_content_tags={"script", "style"},
                     link_rel="noopener noreferrer nofollow")


@lru_cache(maxsize=512)
def render_markdown(text: str) -> Markup:
    return Markup(sanitise(_demote_h1(_md.render(text or ""))))
