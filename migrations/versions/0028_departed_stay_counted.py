"""a deleted account's weeks, practice and mail stay counted, without the person

Deleting an account deleted its enrollment and every row on it, so the completion page,
the survey counts' "everyone" and the delivery view dropped by exactly what that person
had done: "about 10 of 10" becoming "about 5 of 9" said they had completed week 1. Weeks
opened and completed and practice logged now stay with their cohort, their enrollment
link set to NULL (the foreign key now SET NULL), and each cohort counts how many people
once enrolled in it have deleted their account since (`cohorts.departed`).

Downgrading deletes the kept rows that no longer name an enrollment: the older schema
has no place for them.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

RECORDS = ("module_progress", "module_opened", "practice_logs")


def _link(table: str, *, nullable: bool, ondelete: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(batch.f(f"fk_{table}_enrollment_id_enrollments"),
                              type_="foreignkey")
        batch.alter_column("enrollment_id", existing_type=sa.Integer(), nullable=nullable)
        batch.create_foreign_key(batch.f(f"fk_{table}_enrollment_id_enrollments"),
                                 "enrollments", ["enrollment_id"], ["id"],
                                 ondelete=ondelete)


def upgrade():
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("departed", sa.Integer(), nullable=False,
                                   server_default="0"))
    for table in RECORDS:
        _link(table, nullable=True, ondelete="SET NULL")


def downgrade():
    for table in RECORDS:
        op.execute(f"DELETE FROM {table} WHERE enrollment_id IS NULL")
        _link(table, nullable=False, ondelete="CASCADE")
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("departed")
