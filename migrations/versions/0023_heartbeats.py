"""heartbeats: when beat and the reminder planner last ran

An operator could not tell, without reading logs, that the scheduler had stopped: mail
just stopped arriving. Beat and the planner now each keep one row with the time they last
ran, shown on /metrics and /healthz.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "heartbeats",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_heartbeats")),
    )


def downgrade():
    op.drop_table("heartbeats")
