"""reminders: mail preferences, the planner's bookmark, facilitators' announcements

Participants heard nothing after their invitation. The planner now writes week-opened,
nudge and survey mail to the outbox; people choose which optional kinds they get and
their quiet hours, and the planner keeps per cohort how far it has planned so a minute
with nothing due stays cheap.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 03:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
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
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=150), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("format IN ('plain', 'markdown')",
                           name=op.f("ck_announcements_format_known")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_announcements_author_id_users")),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name=op.f("fk_announcements_cohort_id_cohorts")),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name=op.f("fk_announcements_org_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    op.create_index(op.f("ix_announcements_cohort_id"), "announcements", ["cohort_id"])
    op.create_index(op.f("ix_announcements_org_id"), "announcements", ["org_id"])


def downgrade():
    op.drop_table("announcements")
    op.drop_table("cohort_plans")
    op.drop_table("mail_preferences")
