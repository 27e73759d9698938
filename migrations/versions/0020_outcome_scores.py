"""stored scores follow the published keys, at full precision

SCS-SF subscales were stored as means of the reversed items (all 1s gave self-judgment
5.0); the published key (Raes et al. 2011; Neff) takes each subscale from its own items
as answered. Every score was also rounded to 4 decimals before storing. The answers are
kept with each response, so the scores are recomputed exactly from them here.

Outcome aggregates are kept as a snapshot once a cohort's survey after the course closes
(outcome_snapshots), so that a later deletion cannot move a mean.

The scoring keys are written out below, frozen as they are at this revision: a later
change to an instrument file must not change what this migration does.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 03:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# code: (scale min, scale max, reversed items, total rule, multiplier, subscales)
KEYS = {
    "SCS-SF": (1, 5, {1, 4, 8, 9, 11, 12}, "mean", 1,
               {"self_kindness": (2, 6), "self_judgment": (11, 12),
                "common_humanity": (5, 10), "isolation": (4, 8),
                "mindfulness": (3, 7), "over_identification": (1, 9)}),
    "PSS-10": (0, 4, {4, 5, 7, 8}, "sum", 1, {}),
    "WHO-5": (0, 5, set(), "sum", 4, {}),
}

responses = sa.table(
    "survey_responses",
    sa.column("id", sa.String(36)),
    sa.column("instrument", sa.String(20)),
    sa.column("answers", sa.JSON),
    sa.column("scores", sa.JSON),
)


def scores(code: str, answers: dict, published: bool = True) -> dict | None:
    """The scores of one answer set; `published=False` gives the old (wrong) ones."""
    if code not in KEYS:
        return None
    low, high, reverse, rule, multiplier, subscales = KEYS[code]
    raw = {int(n): int(v) for n, v in answers.items()}
    keyed = {n: (low + high - v if n in reverse else v) for n, v in raw.items()}

    def combine(values, how):
        return sum(values) / len(values) if how == "mean" else float(sum(values))

    total = combine(list(keyed.values()), rule) * multiplier
    source = raw if published else keyed
    subs = {key: combine([source[n] for n in items], "mean")
            for key, items in subscales.items()}
    if not published:
        return {"total": round(total, 4), "subscales": {k: round(v, 4)
                                                        for k, v in subs.items()}}
    return {"total": total, "subscales": subs}


def _rescore(published: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(responses.c.id, responses.c.instrument,
                                  responses.c.answers)).all()
    for row_id, code, answers in rows:
        new = scores(code, answers, published)
        if new is not None:
            bind.execute(responses.update().where(responses.c.id == row_id)
                         .values(scores=new))


def upgrade():
    _rescore(published=True)
    op.create_table(
        "outcome_snapshots",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name=op.f("fk_outcome_snapshots_cohort_id_cohorts")),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"],
                                name=op.f("fk_outcome_snapshots_org_id_organizations")),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_outcome_snapshots")),
    )
    op.create_index(op.f("ix_outcome_snapshots_org_id"), "outcome_snapshots", ["org_id"])


def downgrade():
    op.drop_index(op.f("ix_outcome_snapshots_org_id"), table_name="outcome_snapshots")
    op.drop_table("outcome_snapshots")
    _rescore(published=False)
