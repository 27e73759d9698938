"""Record a fact at most once, whoever is first: INSERT ... ON CONFLICT DO NOTHING.

Checking for a row and then inserting it fails when two requests do both at once (two
tabs, a double-click): both see nothing, the second INSERT breaks the unique constraint
and the person gets an error page. Here the database decides, and neither request fails."""
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..extensions import db


def insert_once(model, **values) -> None:
    """Insert `values` into `model`'s table unless a row with the same unique key is
    already there. Part of the caller's transaction."""
    dialect = db.session.get_bind().dialect.name
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(model)
    db.session.execute(statement.values(**values).on_conflict_do_nothing())


def is_duplicate(error: IntegrityError) -> bool:
    """A unique constraint refused the row: the fact was already stored. Any other
    integrity error is a fault, never to be reported as 'already done'."""
    sqlstate = getattr(error.orig, "sqlstate", None)  # PostgreSQL
    if sqlstate is not None:
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(error.orig)  # SQLite
