"""ids of people, enrollments, cohorts and organisations are never reused on SQLite

Without AUTOINCREMENT, SQLite gives a new row the largest id + 1, so the id of the most
recently deleted account came back for the next person created. That person then matched
the deleted account's pairing key (its kept answers showed as theirs and their own survey
was refused) and its session cookie on another device ("id.version"). AUTOINCREMENT makes
SQLite remember the largest id ever used, as PostgreSQL's sequences always have.

A database that already deleted people cannot tell how many ids were used above today's
largest, so on tables with rows the counter of users and enrollments starts 100,000 higher:
far more accounts than a single-machine install deletes. PostgreSQL is not changed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 06:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLES = ("organizations", "users", "cohorts", "enrollments")
JUMP = {"users": 100_000, "enrollments": 100_000}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}):
            pass
    for table, jump in JUMP.items():
        largest = bind.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar()
        if largest is not None:
            bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
            bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
                         {"t": table, "n": largest + jump})


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always"):
            pass
