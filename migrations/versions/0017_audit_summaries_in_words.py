"""audit summaries in words: no raw ids ("User 25 joined cohort 5")

The audit page names people and cohorts from the event's target, as they are now (a
deleted account shows as such). Summaries written before this said the same with raw
ids; they are rewritten to the words new events use.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 04:15:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

REWRITES = [
    (re.compile(r"^User \d+ joined cohort \d+$"), lambda m: "Joined the course"),
    (re.compile(r"^Enrolled user \d+ in cohort (“.*”)$"), lambda m: f"Enrolled in {m[1]}"),
    (re.compile(r"^Invited user \d+ to cohort (“.*”) again$"),
     lambda m: f"Enrolled again in {m[1]}"),
    (re.compile(r"^User \d+ moved from (“.*”) to (“.*”)$"),
     lambda m: f"Moved from {m[1]} to {m[2]}"),
    (re.compile(r"^User \d+ withdrawn from cohort \d+ themselves; (\d+) pending messages "
                r"cancelled$"), lambda m: f"Left the course; {m[1]} pending messages cancelled"),
    (re.compile(r"^User \d+ withdrawn from cohort \d+ by user \d+; (\d+) pending messages "
                r"cancelled$"),
     lambda m: f"Withdrawn by staff; {m[1]} pending messages cancelled"),
]


def upgrade():
    conn = op.get_bind()
    events = sa.table("audit_events", sa.column("id", sa.Integer),
                      sa.column("action", sa.String), sa.column("summary", sa.String))
    rows = conn.execute(sa.select(events.c.id, events.c.summary)
                        .where(events.c.action.like("enrollment.%"))).all()
    for event_id, summary in rows:
        for pattern, words in REWRITES:
            match = pattern.match(summary or "")
            if match:
                conn.execute(events.update().where(events.c.id == event_id)
                             .values(summary=words(match)))
                break


def downgrade():
    pass  # the words say what the ids said; nothing to restore
