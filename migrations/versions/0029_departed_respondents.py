"""an open survey's count keeps those who answered and deleted their answers since

Deleting an account with its answers removed a sealed answer from an open wave, and the
wave's band dropped by one: it said that the person who left had answered. Each cohort
and wave now counts such people (`departed_respondents`), added to the wave's count.
Nothing is known of deletions made before this migration.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03 07:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "departed_respondents",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("wave", sa.String(length=10), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.CheckConstraint("wave IN ('pre', 'post', 'followup')",
                           name=op.f("ck_departed_respondents_wave_known")),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name=op.f("fk_departed_respondents_cohort_id_cohorts")),
        sa.PrimaryKeyConstraint("cohort_id", "wave", name=op.f("pk_departed_respondents")),
    )


def downgrade():
    op.drop_table("departed_respondents")
