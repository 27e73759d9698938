"""an address belongs to one account per organisation, not one across all of them

With addresses unique across organisations, another organisation's admin who typed an
address learned whether it had an account anywhere, and could take it first. Now each
organisation has its own accounts; signing in with an address held in several sends a
link for each, naming the organisation.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 04:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def _rebuild_keeping_ids():
    """SQLite rebuilds the table for this: keep AUTOINCREMENT and the counter, so ids of
    people deleted before are still never given out again (migration 0007)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return op.batch_alter_table("users"), None
    seq = bind.execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'users'")).scalar()
    return op.batch_alter_table("users", table_kwargs={"sqlite_autoincrement": True}), seq


def _restore_counter(seq):
    if seq is not None:
        bind = op.get_bind()
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'users'"))
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('users', :n)"),
                     {"n": seq})


def upgrade():
    rebuild, seq = _rebuild_keeping_ids()
    with rebuild as batch:
        batch.drop_constraint("uq_users_email", type_="unique")
        batch.create_unique_constraint("uq_users_org_id_email", ["org_id", "email"])
        batch.create_index("ix_users_email", ["email"])
    _restore_counter(seq)


def downgrade():
    rebuild, seq = _rebuild_keeping_ids()
    with rebuild as batch:
        batch.drop_index("ix_users_email")
        batch.drop_constraint("uq_users_org_id_email", type_="unique")
        batch.create_unique_constraint("uq_users_email", ["email"])
    _restore_counter(seq)
