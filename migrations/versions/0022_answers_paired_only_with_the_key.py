"""a person's answers before and after the course are one person's only under PAIRING_KEY

survey_responses.pairing_key was the same for a person's pre and post answers, so a copy
of the database paired them without any key; and since the completions say who answered
which wave, when one person alone skipped a wave, the answers without a partner were
theirs. Each row now holds:
- respondent: who answered, different in every wave (HMAC of the pairing key and the
  wave under a key derived from PAIRING_KEY, as sealed_answers.owner): it finds a
  person's own answers again, for them only;
- pairing: the pairing key sealed with AES-GCM and a fresh nonce, the same length for
  everyone: what pairs the waves for the outcome figures, and only with PAIRING_KEY.

The derivation is written out below, frozen as at this revision. The rows are rewritten
in random order and, on PostgreSQL, the table is rebuilt (VACUUM FULL) so the old values
leave the database files (on SQLite the file is rebuilt). Backups taken before this
migration still pair answers: replace them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 06:40:00

"""
import hashlib
import hmac
import os

from alembic import op
import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

WITHOUT_ROWID = {"sqlite_with_rowid": False}
responses = sa.table(
    "survey_responses",
    sa.column("id", sa.String(36)),
    sa.column("cohort_id", sa.Integer),
    sa.column("wave", sa.String(10)),
    sa.column("pairing_key", sa.String(64)),
    sa.column("respondent", sa.String(64)),
    sa.column("pairing", sa.LargeBinary),
)


def _derive(info: bytes) -> bytes:
    secret = current_app.config["PAIRING_KEY"].encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"wellbeing-sealed-answers",
                info=info).derive(secret)


def upgrade():
    cipher, owner = AESGCM(_derive(b"sealed answers v1")), _derive(b"sealed answers owner v1")
    with op.batch_alter_table("survey_responses", table_kwargs=WITHOUT_ROWID) as batch:
        batch.add_column(sa.Column("respondent", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pairing", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(responses.c.id, responses.c.cohort_id, responses.c.wave,
                                  responses.c.pairing_key)).all()
    for row_id, cohort_id, wave, key in rows:
        nonce = os.urandom(12)
        bind.execute(responses.update().where(responses.c.id == row_id).values(
            respondent=hmac.new(owner, f"{key}:{wave}".encode(), hashlib.sha256).hexdigest(),
            pairing=nonce + cipher.encrypt(nonce, key.encode(), f"pairing:{cohort_id}".encode())))
    with op.batch_alter_table("survey_responses", table_kwargs=WITHOUT_ROWID) as batch:
        batch.drop_constraint("uq_survey_responses_cohort_id_pairing_key_wave_instrument",
                              type_="unique")
        batch.drop_index("ix_survey_responses_pairing_key")
        batch.drop_column("pairing_key")
        batch.alter_column("respondent", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("pairing", existing_type=sa.LargeBinary(), nullable=False)
        batch.create_unique_constraint(
            "uq_survey_responses_cohort_id_respondent_wave_instrument",
            ["cohort_id", "respondent", "wave", "instrument"])
        batch.create_index("ix_survey_responses_respondent", ["respondent"], unique=False)
    _rewrite_in_random_order()


def _rewrite_in_random_order():
    if op.get_bind().dialect.name == "sqlite":
        with op.get_context().autocommit_block():
            op.execute("VACUUM")
        return
    op.execute("CREATE TEMPORARY TABLE shuffled ON COMMIT DROP AS "
               "SELECT * FROM survey_responses ORDER BY random()")
    op.execute("DELETE FROM survey_responses")
    op.execute("INSERT INTO survey_responses SELECT * FROM shuffled ORDER BY random()")
    with op.get_context().autocommit_block():
        op.execute("VACUUM FULL survey_responses")


def downgrade():
    cipher = AESGCM(_derive(b"sealed answers v1"))
    with op.batch_alter_table("survey_responses", table_kwargs=WITHOUT_ROWID) as batch:
        batch.add_column(sa.Column("pairing_key", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(responses.c.id, responses.c.cohort_id,
                                  responses.c.pairing)).all()
    for row_id, cohort_id, sealed in rows:
        sealed = bytes(sealed)
        key = cipher.decrypt(sealed[:12], sealed[12:], f"pairing:{cohort_id}".encode())
        bind.execute(responses.update().where(responses.c.id == row_id)
                     .values(pairing_key=key.decode()))
    with op.batch_alter_table("survey_responses", table_kwargs=WITHOUT_ROWID) as batch:
        batch.drop_constraint("uq_survey_responses_cohort_id_respondent_wave_instrument",
                              type_="unique")
        batch.drop_index("ix_survey_responses_respondent")
        batch.drop_column("respondent")
        batch.drop_column("pairing")
        batch.alter_column("pairing_key", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(
            "uq_survey_responses_cohort_id_pairing_key_wave_instrument",
            ["cohort_id", "pairing_key", "wave", "instrument"])
        batch.create_index("ix_survey_responses_pairing_key", ["pairing_key"], unique=False)
