"""Rewrites the answer table in random order, so that on PostgreSQL the rows of a
submission no longer sit next to, or share a transaction id with, its completion row.

PostgreSQL appends rows in insertion order and stamps each with the id of the transaction
that wrote it (xmin); a submission writes its answers and its completion together, so
both line up for anyone with raw database access. Rewriting every answer row in one
transaction, in random order, gives them all one new transaction id and new places.
Only rows written since the last rewrite can still be paired this way (docs/privacy.md).
The embedded SQLite database needs none of this: it keeps answers in random id order."""
from sqlalchemy import text

from ..extensions import db


def shuffle_answers() -> int:
    """Rewrite survey_responses in random order in one transaction; returns the rows
    rewritten (0 on SQLite). A crash rolls back: nothing is lost or doubled."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return 0
    with engine.begin() as conn:
        # Submissions keep coming in meanwhile: they wait for the lock, then land after.
        conn.execute(text("LOCK TABLE survey_responses IN SHARE ROW EXCLUSIVE MODE"))
        conn.execute(text("CREATE TEMPORARY TABLE shuffled ON COMMIT DROP AS "
                          "SELECT * FROM survey_responses ORDER BY random()"))
        conn.execute(text("DELETE FROM survey_responses"))
        moved = conn.execute(text("INSERT INTO survey_responses SELECT * FROM shuffled "
                                  "ORDER BY random()")).rowcount
    # Let the old row versions' space be reused soon (VACUUM cannot run in a transaction).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM survey_responses"))
    return moved
