"""a closed wave's kept count keeps how many could have answered it, too

Staff see a closed survey's count hidden when it could only mean everyone. Measured
against the cohort's size now, one later enrollment (or an invitation made and cancelled)
turned "Hidden" into "about 10" and said that all eight had answered. The number is now
kept with the count, when the wave closes. Counts kept before this have none and are
read against the cohort's size now, as until now.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 06:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("wave_snapshots") as batch_op:
        batch_op.add_column(sa.Column("everyone", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("wave_snapshots") as batch_op:
        batch_op.drop_column("everyone")
