"""a moved person's answers stay in the cohort where they were given

Moving someone used to re-key their answers to the new cohort, so both cohorts' response
counts changed by one exactly when that person had answered: HR could learn who answered
by moving people. Answers now stay; the enrollment remembers the cohorts it was moved
out of, so the person still finds, downloads and deletes their own answers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 06:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("earlier_cohort_ids", sa.String(length=200),
                                   server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_column("earlier_cohort_ids")
