from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wellbeing.extensions import db


def test_migrations_build_exactly_the_schema_the_models_describe():
    """The database under test was built only by migrations; nothing may differ."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
