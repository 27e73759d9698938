"""the data remembers which PAIRING_KEY it was written with (a check value, not the key)

Started with another PAIRING_KEY, Wellbeing used to run on without a word, writing answers
that never pair with the earlier ones and leaving the sealed ones unopenable. The check
value lets it refuse to start instead (surveys/key_check.py); `wellbeing rekey-pairing`
moves the data to a new key and replaces it. The first start after this migration
records the value of the key in use, once it has checked that the key opens the data.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "key_checks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("check_value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_key_checks")),
    )


def downgrade():
    op.drop_table("key_checks")
