"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere (SQLite).

A 10,000-person import writes about 40,000 rows; as single INSERTs PostgreSQL spends
seconds parsing and executing each one, while COPY streams them as one statement. Both
run in the session's transaction, so an import is still all or nothing.

Reading many rows back goes through chunks(): an IN list of 10,000 values is refused by
SQLite builds limited to 999 bound parameters, so every such query asks in batches.
"""
from collections.abc import Iterable, Iterator
from typing import TypeVar

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.exc import IntegrityError

from ..extensions import db

T = TypeVar("T")
IN_BATCH = 900  # below SQLite's old 999-parameter limit, with room for the other filters


def chunks(values: Iterable[T], size: int = IN_BATCH) -> Iterator[list[T]]:
    """`values` in consecutive lists of at most `size`, for bounded IN (...) queries."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def insert_rows(table: sa.Table, rows: list[dict]) -> None:
    """INSERT every row (dicts with the same keys) into `table`. Columns left out get
    their Python-side default, as a Core INSERT would give them."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(sa.insert(table), rows)
        return
    given = list(rows[0])
    defaults = {c.name: _default(c) for c in table.columns
                if c.name not in given and c.default is not None}
    columns = given + list(defaults)
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in given]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    tail = list(defaults.values())
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in given]
                values = [p(v) if p else v for p, v in zip(processors, values, strict=True)]
                copy.write_row(values + tail)
    except psycopg.errors.IntegrityError as error:
        # Callers handle a race (someone enrolled the same person) as they would for an
        # INSERT.
        raise IntegrityError(statement.as_string(raw), None, error) from error


def _default(column: sa.Column):
    default = column.default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)
    raise ValueError(f"{column.table.name}.{column.name} needs a value: its default is SQL")


def rebuild(*tables: str) -> None:
    """Rebuild tables whose rows were just rewritten (a key rotation), so the old values
    leave the database files: PostgreSQL keeps old row versions until VACUUM FULL; SQLite
    rebuilds its one file."""
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM FULL {', '.join(tables)}" if postgresql else "VACUUM")
