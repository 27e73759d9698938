"""reminders: mail preferences (optional kinds, quiet hours) and the planner's bookmark

Participants heard nothing after their invitation. The planner now writes week-opened,
nudge and survey mail to the outbox; people choose which optional kinds they get and
their quiet hours, and the planner keeps per cohort how far it has planned so a minute
with nothing due stays cheap.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_opened", sa.Boolean(), nullable=False),
        sa.Column("nudges", sa.Boolean(), nullable=False),
        sa.Column("survey_reminders", sa.Boolean(), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=False),
        sa.Column("quiet_end", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_mail_preferences_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_preferences")),
    )
    op.create_table(
        "cohort_plans",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("planned_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replan", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name=op.f("fk_cohort_plans_cohort_id_cohorts")),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohort_plans")),
    )


def downgrade():
    op.drop_table("cohort_plans")
    op.drop_table("mail_preferences")
