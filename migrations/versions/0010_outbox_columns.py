"""outbox messages name their enrollment, week and survey wave in columns

A cohort found its pending messages by splitting their dedupe keys
(`invitation:17`, `moved:17:<key>`, `invitation:17:again:<ts>`): every new kind of
message had to follow that pattern or be missed when the schedule moved or the person
withdrew. Messages now carry `enrollment_id` (set to NULL if the enrollment is deleted),
and `week` / `wave` for messages that belong to one. Existing rows get their enrollment
from the old key, by the rule the old code used: the number after the first colon, when
it is an enrollment of the message's recipient.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("enrollment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("week", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("wave", sa.String(length=10), nullable=True))
        batch.create_foreign_key(batch.f("fk_outbox_messages_enrollment_id_enrollments"),
                                 "enrollments", ["enrollment_id"], ["id"], ondelete="SET NULL")
        batch.create_index(batch.f("ix_outbox_messages_enrollment_id"), ["enrollment_id"],
                           unique=False)
    _backfill_enrollments(op.get_bind())


def _backfill_enrollments(bind):
    """Parsed in Python: SQLite has no split function, and the candidates (a message
    joined to its recipient's few enrollments) are already narrowed down in SQL."""
    candidates = bind.execute(sa.text(
        "SELECT o.id, o.dedupe_key, e.id FROM outbox_messages o "
        "JOIN enrollments e ON e.user_id = o.user_id ORDER BY o.id"))
    update = sa.text("UPDATE outbox_messages SET enrollment_id = :enrollment WHERE id = :id")
    found = []
    for message_id, key, enrollment_id in candidates.fetchall():
        parts = key.split(":")
        if len(parts) > 1 and parts[1] == str(enrollment_id):
            found.append({"id": message_id, "enrollment": enrollment_id})
    if found:  # one executemany: no IN list, so no parameter limit to stay under
        bind.execute(update, found)


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_index(batch.f("ix_outbox_messages_enrollment_id"))
        batch.drop_constraint(batch.f("fk_outbox_messages_enrollment_id_enrollments"),
                              type_="foreignkey")
        batch.drop_column("wave")
        batch.drop_column("week")
        batch.drop_column("enrollment_id")
