"""progress, practice and mail keep the cohort they happened in

Staff counts found weeks opened and completed, practice logged and mail sent through the
enrollment's current cohort. Moving someone keeps their enrollment and changes its cohort,
so their whole history moved into the target's counts: HR could move one person into a
draft with a few people who had done nothing and read that person's progress off the
counts. Each row now keeps its own `cohort_id`, set when it is written (a pending message
moved with its person takes the new cohort; sent mail stays). Outbox rows about no
enrollment (sign-in links, staff invitations) have none.

Existing rows get the cohort their enrollment is in now: what happened before a move made
before this migration cannot be told apart any more, and counts where it did until now.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

RECORDS = ("module_progress", "module_opened", "practice_logs")


def _backfill(table: str) -> None:
    # A correlated subquery: the same statement on SQLite and PostgreSQL.
    op.execute(f"UPDATE {table} SET cohort_id = (SELECT enrollments.cohort_id "
               f"FROM enrollments WHERE enrollments.id = {table}.enrollment_id) "
               "WHERE enrollment_id IS NOT NULL")


def upgrade():
    for table in RECORDS:
        op.add_column(table, sa.Column("cohort_id", sa.Integer(), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("cohort_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(batch.f(f"fk_{table}_cohort_id_cohorts"), "cohorts",
                                     ["cohort_id"], ["id"])
            batch.create_index(batch.f(f"ix_{table}_cohort_id"), ["cohort_id"], unique=False)
    op.add_column("outbox_messages", sa.Column("cohort_id", sa.Integer(), nullable=True))
    _backfill("outbox_messages")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.create_foreign_key(batch.f("fk_outbox_messages_cohort_id_cohorts"), "cohorts",
                                 ["cohort_id"], ["id"])
        batch.create_index(batch.f("ix_outbox_messages_cohort_id"), ["cohort_id"],
                           unique=False)


def downgrade():
    for table in ("outbox_messages", *RECORDS):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(batch.f(f"ix_{table}_cohort_id"))
            batch.drop_constraint(batch.f(f"fk_{table}_cohort_id_cohorts"), type_="foreignkey")
            batch.drop_column("cohort_id")
