"""Helpers for survey tests: a cohort on a known calendar and form data for answers."""
import datetime as dt

from wellbeing.instruments import get

# Cohort starting Monday 2 March 2026, 09:00 London (GMT): week 2 opens 9 March 09:00 UTC,
# week 8 on 20 April 09:00 BST (08:00 UTC); post opens on the last day, Sunday 26 April,
# 08:00 UTC, and closes 14 days after that day: 10 May 08:00 UTC.
START = dt.date(2026, 3, 2)
BEFORE_START = dt.datetime(2026, 2, 25, 10, 0, tzinfo=dt.UTC)
IN_WEEK_1 = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
PRE_CLOSES = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
POST_OPENS = dt.datetime(2026, 4, 26, 8, 0, tzinfo=dt.UTC)
IN_POST = dt.datetime(2026, 4, 28, 12, 0, tzinfo=dt.UTC)
POST_CLOSES = dt.datetime(2026, 5, 10, 8, 0, tzinfo=dt.UTC)

SCS_CALM = [2, 4, 4, 2, 4, 4, 4, 2, 2, 4, 2, 2]       # keyed all 4: total 4.00
PSS_MID = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]              # total 20


def release_everything() -> int:
    """Every sealed answer reaches the answer table, as when all waves have closed."""
    from wellbeing.surveys.release import release_closed_waves
    return release_closed_waves(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


def form_data(answers: dict[str, list[int]], skip: tuple = ()) -> dict[str, str]:
    """{instrument code: [value per item]} -> the POST fields of the survey form."""
    data = {}
    for code, values in answers.items():
        instrument = get(code)
        for n, value in enumerate(values, start=1):
            if (code, n) not in skip:
                data[f"{instrument.slug}_{n}"] = str(value)
    return data


def default_answers(scs=None, pss=None) -> dict[str, list[int]]:
    return {"SCS-SF": list(scs or SCS_CALM), "PSS-10": list(pss or PSS_MID)}


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: tags removed, whitespace collapsed."""
    import re
    from html import unescape
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(html: str) -> list[list[str]]:
    """Every table row of the page as a list of cell texts."""
    import re
    return [[visible_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)]


def is_checked(page: str, element_id: str) -> bool:
    start = page.index(f'id="{element_id}"')
    tag = page[page.rindex("<input", 0, start):page.index(">", start)]
    return "checked" in tag
