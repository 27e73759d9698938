"""survey counts are kept as a snapshot when a wave closes

Staff saw live respondent counts, so each answer, and each deleted account, moved a number
by one in real time. Now an open wave shows a band, and when it closes the count is taken
once into wave_snapshots and shown from there; later deletions do not move it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "wave_snapshots",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("wave", sa.String(length=10), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("wave IN ('pre', 'post', 'followup')",
                           name=op.f("ck_wave_snapshots_wave_known")),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name=op.f("fk_wave_snapshots_cohort_id_cohorts")),
        sa.PrimaryKeyConstraint("cohort_id", "wave", name=op.f("pk_wave_snapshots")),
    )


def downgrade():
    op.drop_table("wave_snapshots")
