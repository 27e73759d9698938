"""Survey storage, split in two so that nobody can link a person to their answers.

Answer side (SurveyResponse): what was answered, for which cohort and wave, and a
pairing key. No user, enrollment, email, address or time at all, and a random id.
Identity side (SurveyCompletion): who completed which wave, and nothing about when.
In between (SealedAnswers): a submission's answers, encrypted, from the moment they are
given until their wave closes; then every answer of the wave is written to the answer
side at once, in random order (surveys/release.py), so that no transaction id, row
order or physical place relates an answer to its completion.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..cohorts.models import EnrollmentRecord
from ..extensions import db

PRE, POST, FOLLOWUP = "pre", "post", "followup"
WAVES = (PRE, POST, FOLLOWUP)
DEFAULT_INSTRUMENTS = ("SCS-SF", "PSS-10")


def _random_id() -> str:
    return str(uuid.uuid4())


class AnswerSide:
    """Mixin for rows on the answer side: a random id (no order to read), the cohort and
    the wave, and nothing about the person."""

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=_random_id)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    wave: Mapped[str] = mapped_column(sa.String(10))


class SurveyResponse(AnswerSide, db.Model):
    __tablename__ = "survey_responses"
    __table_args__ = (
        sa.CheckConstraint(f"wave IN {WAVES!r}", name="wave_known"),
        # A second guard besides the completion row: one answer set per person,
        # wave and instrument.
        sa.UniqueConstraint("cohort_id", "respondent", "wave", "instrument"),
        sa.Index("ix_survey_responses_cohort_wave", "cohort_id", "wave"),
        # SQLite stores rows in the order of the random id, not of insertion (0006).
        {"sqlite_with_rowid": False},
    )

    instrument: Mapped[str] = mapped_column(sa.String(20))
    # Who answered, as only a holder of PAIRING_KEY can say, different in every wave
    # (sealing.owner): a copy of the database cannot tell which answers before the course
    # and which after are one person's, nor whose answers have no partner in the other.
    respondent: Mapped[str] = mapped_column(sa.String(64), index=True)
    # The person's pairing key, sealed with a fresh nonce (sealing.seal_pairing): what
    # pairs a person's waves for the outcome figures, and only with PAIRING_KEY.
    pairing: Mapped[bytes] = mapped_column(sa.LargeBinary)
    answers: Mapped[dict] = mapped_column(sa.JSON)
    scores: Mapped[dict] = mapped_column(sa.JSON)


class SealedAnswers(AnswerSide, db.Model):
    """One submission's answers while its wave is open, encrypted under a key derived
    from PAIRING_KEY (surveys/sealing.py). Written with the completion, so a copy of the
    database pairs this row with the person; it holds nothing readable without the key,
    and all sealed rows are the same size. `owner` lets the person (and only a holder of
    PAIRING_KEY) find it again."""

    __tablename__ = "sealed_answers"
    __table_args__ = (
        sa.CheckConstraint(f"wave IN {WAVES!r}", name="wave_known"),
        sa.Index("ix_sealed_answers_cohort_wave", "cohort_id", "wave"),
        {"sqlite_with_rowid": False},
    )

    owner: Mapped[str] = mapped_column(sa.String(64), unique=True)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)


class DepartedRespondents(db.Model):
    """How many people who had answered a cohort's wave deleted their account and their
    answers since (migration 0029). Added to the wave's count: without it an open
    survey's band dropped when such a person left, and said that they had answered.
    A number per cohort and wave, nothing about anyone."""

    __tablename__ = "departed_respondents"
    __table_args__ = (sa.CheckConstraint(f"wave IN {WAVES!r}", name="wave_known"),)

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    wave: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    respondents: Mapped[int] = mapped_column(default=0)


class SurveyCompletion(EnrollmentRecord, db.Model):
    __tablename__ = "survey_completions"
    __table_args__ = (
        sa.UniqueConstraint("enrollment_id", "wave"),
        sa.CheckConstraint(f"wave IN {WAVES!r}", name="wave_known"),
    )

    wave: Mapped[str] = mapped_column(sa.String(10))


class CohortSurveyPlan(db.Model):
    """Which questionnaires a cohort answers, and whether it has a follow-up wave.
    A cohort without a row uses the defaults (SCS-SF and PSS-10, no follow-up)."""

    __tablename__ = "cohort_survey_plans"
    __table_args__ = (
        sa.CheckConstraint("followup_weeks BETWEEN 4 AND 52", name="followup_weeks_range"),
    )

    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    instruments: Mapped[str] = mapped_column(sa.String(200))  # codes, comma-separated
    followup_enabled: Mapped[bool] = mapped_column(default=False)
    followup_weeks: Mapped[int] = mapped_column(default=12)

    @property
    def instrument_codes(self) -> list[str]:
        return [code for code in self.instruments.split(",") if code]
