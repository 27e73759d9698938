"""answers keep no time and are sealed until their wave closes; events about people keep the day

A copy of the database linked people to their answers: the week on an answer row met the
day on the completion row (someone who answered alone in a week was named), and on
PostgreSQL the transaction id and the row order of a submission paired its answers with
its completion until the hourly rewrite, and in every backup taken before it.

- survey_responses loses submitted_week, survey_completions loses completed_on: nothing
  needs them (a person's own pages and download never showed the dates).
- sealed_answers holds a submission's answers, encrypted, until its wave closes; the
  wave is then written to survey_responses at once, in random order (surveys/release.py).
- Audit events about people (enrollment.*, account.*) keep the day only (00:00 UTC).
- The answers already written are rewritten once in random order, and on PostgreSQL the
  three tables are rebuilt (VACUUM FULL), so the dropped values and the old row versions
  leave the database files; on SQLite the file is rebuilt (VACUUM) for the same reason.
  Backups taken before this migration still hold them: replace them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

ABOUT_PEOPLE = "action LIKE 'enrollment.%' OR action LIKE 'account.%'"


def upgrade():
    op.create_table('sealed_answers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('wave', sa.String(length=10), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("wave IN ('pre', 'post', 'followup')", name=op.f('ck_sealed_answers_wave_known')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_sealed_answers_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], name=op.f('fk_sealed_answers_org_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_answers')),
    sa.UniqueConstraint('owner', name=op.f('uq_sealed_answers_owner')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('sealed_answers', schema=None) as batch_op:
        batch_op.create_index('ix_sealed_answers_cohort_wave', ['cohort_id', 'wave'], unique=False)
        batch_op.create_index(batch_op.f('ix_sealed_answers_org_id'), ['org_id'], unique=False)

    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("survey_responses",
                              table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("submitted_week")
    with op.batch_alter_table("survey_completions") as batch:
        batch.drop_column("completed_on")
    if sqlite:  # stored as text, 'YYYY-MM-DD HH:MM:SS.ffffff', in UTC
        op.execute("UPDATE audit_events SET created_at = substr(created_at, 1, 10) || "
                   f"' 00:00:00.000000' WHERE {ABOUT_PEOPLE}")
        with op.get_context().autocommit_block():
            op.execute("VACUUM")
        return
    op.execute("UPDATE audit_events SET created_at = date_trunc('day', created_at AT TIME "
               f"ZONE 'UTC') AT TIME ZONE 'UTC' WHERE {ABOUT_PEOPLE}")
    op.execute("CREATE TEMPORARY TABLE shuffled ON COMMIT DROP AS "
               "SELECT * FROM survey_responses ORDER BY random()")
    op.execute("DELETE FROM survey_responses")
    op.execute("INSERT INTO survey_responses SELECT * FROM shuffled ORDER BY random()")
    with op.get_context().autocommit_block():
        op.execute("VACUUM FULL survey_responses, survey_completions, audit_events")


def downgrade():
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM sealed_answers")).scalar():
        raise RuntimeError("Some answers are still sealed (their wave is open). Release "
                           "them first (wellbeing.surveys.release.release_wave), or they "
                           "would be lost.")
    op.drop_table('sealed_answers')
    # The dates were dropped; rows get the day of the downgrade.
    with op.batch_alter_table("survey_completions") as batch:
        batch.add_column(sa.Column("completed_on", sa.Date(), nullable=False,
                                   server_default=sa.func.current_date()))
    with op.batch_alter_table("survey_responses",
                              table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(sa.Column("submitted_week", sa.String(length=8), nullable=False,
                                   server_default=""))
