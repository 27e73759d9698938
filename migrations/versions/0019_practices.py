"""practices remember who opened and kept them; organisations can add their own recording

practice_marks: the practices a participant has opened and those they keep as favourites
(their "My practices" page and week 8's choices), private to them, gone with their
enrollment. practice_recordings: an organisation's facilitator's recording of a practice,
kept in the database with the org's text so every web process can serve it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "practice_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("first_opened_on", sa.Date(), nullable=False),
        sa.Column("favourite", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["enrollment_id"], ["enrollments.id"],
                                name=op.f("fk_practice_marks_enrollment_id_enrollments"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name=op.f("fk_practice_marks_org_id_organizations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_marks")),
        sa.UniqueConstraint("enrollment_id", "slug",
                            name=op.f("uq_practice_marks_enrollment_id_slug")),
    )
    with op.batch_alter_table("practice_marks") as batch:
        batch.create_index(batch.f("ix_practice_marks_enrollment_id"), ["enrollment_id"])
        batch.create_index(batch.f("ix_practice_marks_org_id"), ["org_id"])

    op.create_table(
        "practice_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("audio", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name=op.f("fk_practice_recordings_org_id_organizations")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name=op.f("fk_practice_recordings_uploaded_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_recordings")),
        sa.UniqueConstraint("org_id", "slug", name=op.f("uq_practice_recordings_org_id_slug")),
    )
    with op.batch_alter_table("practice_recordings") as batch:
        batch.create_index(batch.f("ix_practice_recordings_org_id"), ["org_id"])


def downgrade():
    op.drop_table("practice_recordings")
    op.drop_table("practice_marks")
