"""Case-insensitive "contains" for the search boxes of staff pages, with the LIKE
wildcards in what was typed taken literally (a search for "10%" finds "10%")."""
from sqlalchemy import ColumnElement, func


def contains(column, words: str) -> ColumnElement:
    escaped = words.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")
