"""staff invited in the app accept by signing in: users.accepted_at

HR invites facilitators and admins from the People page; until they first sign in they
are not offered as facilitators. Everyone already here has accepted.

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-02 03:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET accepted_at = created_at")


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("accepted_at")
