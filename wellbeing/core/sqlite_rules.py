"""The embedded SQLite database keeps the same rules as PostgreSQL: foreign keys are
enforced (SQLite ignores them unless asked, per connection), so a row can never point at
something deleted, and ON DELETE CASCADE removes what hangs on a deleted row."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _enforce_foreign_keys(dbapi_connection, record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
