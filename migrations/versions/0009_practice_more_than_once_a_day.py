"""a practice can be logged more than once a day; a double submit still stores one entry

The log refused a second entry for the same practice and day, though the course asks for
some practices "a few times a day". That rule also caught double submits; each form now
carries a random entry token instead, unique per enrollment, so the same form sent twice
stores one entry. Existing rows get no token (NULLs do not collide).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 06:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("practice_logs") as batch:
        batch.drop_constraint("uq_practice_logs_enrollment_id_day_practice", type_="unique")
        batch.add_column(sa.Column("entry_token", sa.String(length=32), nullable=True))
        batch.create_unique_constraint("uq_practice_logs_enrollment_id_entry_token",
                                       ["enrollment_id", "entry_token"])


def downgrade():
    with op.batch_alter_table("practice_logs") as batch:
        batch.drop_constraint("uq_practice_logs_enrollment_id_entry_token", type_="unique")
        batch.drop_column("entry_token")
        batch.create_unique_constraint("uq_practice_logs_enrollment_id_day_practice",
                                       ["enrollment_id", "day", "practice"])
