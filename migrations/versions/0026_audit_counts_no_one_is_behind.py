"""audit summaries no longer count unsent emails ("4 pending messages cancelled")

Reminders are planned only for people who are behind, so how many unsent emails a
withdrawal cancelled said whether that named person was behind, and how many a schedule
change moved counted the people behind. Summaries written before say it in the words new
events use, without the number.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 06:30:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

REWRITES = [
    (re.compile(r"^(Left the course|Withdrawn by staff); \d+ pending messages? cancelled$"),
     lambda m: f"{m[1]}; no more emails"),
    (re.compile(r"^(Changed .*); \d+ pending messages moved, \d+ cancelled(.*)$"),
     lambda m: f"{m[1]}; unsent emails follow the new dates{m[2]}"),
]


def rewrite(summary: str) -> str:
    for pattern, words in REWRITES:
        if match := pattern.match(summary):
            return words(match)
    return summary


def upgrade():
    conn = op.get_bind()
    events = sa.table("audit_events", sa.column("id", sa.Integer),
                      sa.column("action", sa.String), sa.column("summary", sa.String))
    rows = conn.execute(sa.select(events.c.id, events.c.summary).where(
        events.c.action.in_(("enrollment.withdrawn", "cohort.updated")),
        events.c.summary.like("%pending message%"))).all()
    for event_id, summary in rows:
        words = rewrite(summary)
        if words != summary:
            conn.execute(events.update().where(events.c.id == event_id)
                         .values(summary=words))


def downgrade():
    pass  # the numbers are what must not be kept
