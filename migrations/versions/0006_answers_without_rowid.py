"""answers stored in random order on SQLite

SQLite keeps a table's rows in rowid order, which is insertion order: the answer rows of
a submission then sit in the same order as the completion rows, and a copy of the file
pairs them. As a WITHOUT ROWID table, survey_responses is stored in the order of its
random primary key instead. PostgreSQL is not changed here (see docs/privacy.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 04:50:00

"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("survey_responses", recreate="always",
                              table_kwargs={"sqlite_with_rowid": False}):
        pass


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("survey_responses", recreate="always"):
        pass
