"""Answers wait sealed until their wave closes, then the wave is written at once, in an
order that has nothing to do with who answered when (surveys/release.py)."""
import datetime as dt
import logging

import pytest
import sqlalchemy as sa
import time_machine

from tests.surveys.helpers import BEFORE_START, IN_WEEK_1, PRE_CLOSES, START, default_answers
from wellbeing.extensions import db
from wellbeing.surveys import release, sealing, service
from wellbeing.surveys.models import SealedAnswers, SurveyCompletion, SurveyResponse

AFTER_CLOSE = PRE_CLOSES + release.RELEASE_AFTER


def _answers(pss=None) -> dict:
    return {code: dict(enumerate(values, start=1))
            for code, values in default_answers(pss=pss).items()}


@pytest.fixture
def answered(org, make_cohort, make_user, enroll):
    """`answered(n)`: n people of one cohort answer the pre survey, one after another;
    returns their enrollments in that order."""
    def make(n: int, **cohort_fields):
        with time_machine.travel(BEFORE_START, tick=False):
            cohort = make_cohort(org=org, start=START, **cohort_fields)
            enrollments = [enroll(make_user(org=org), cohort) for _ in range(n)]
        for number, enrollment in enumerate(enrollments):
            pss = [number % 5] * 10  # different answers, so scores differ too
            assert service.submit_wave(enrollment, "pre", _answers(pss), IN_WEEK_1)
        return enrollments
    return make


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _xmins(table: str) -> set[str]:
    return set(db.session.scalars(sa.text(f"SELECT DISTINCT xmin::text FROM {table}")))


def test_answers_wait_sealed_until_the_wave_closes_then_are_written_together(answered):
    enrollments = answered(4)
    own_before = [service.own_responses(e) for e in enrollments]
    assert _count(SurveyResponse) == 0 and _count(SealedAnswers) == 4
    # Not while the wave is open, nor in the minutes a late submission may still take.
    assert release.release_closed_waves(IN_WEEK_1) == 0
    assert release.release_closed_waves(AFTER_CLOSE - dt.timedelta(seconds=1)) == 0
    assert _count(SurveyResponse) == 0
    assert release.release_closed_waves(AFTER_CLOSE) == 4
    assert _count(SurveyResponse) == 8 and _count(SealedAnswers) == 0
    assert _count(SurveyCompletion) == 4
    # Each person still finds exactly their own answers.
    for enrollment, before in zip(enrollments, own_before, strict=True):
        after = service.own_responses(enrollment)
        assert {(w, c, r.respondent, r.scores["total"]) for w in after
                for c, r in after[w].items()} == \
               {(w, c, r.respondent, r.scores["total"]) for w in before
                for c, r in before[w].items()}
    if db.engine.dialect.name == "postgresql":
        # One transaction wrote the whole wave, and it wrote no completion.
        assert len(_xmins("survey_responses")) == 1
        assert not _xmins("survey_responses") & _xmins("survey_completions")


def _concordance(first: list, second: list) -> float:
    """Share of pairs that the two orders put the same way round."""
    place = {item: n for n, item in enumerate(second)}
    pairs = [(a, b) for i, a in enumerate(first) for b in first[i + 1:]]
    return sum(place[a] < place[b] for a, b in pairs) / len(pairs)


def test_a_wave_is_written_in_an_order_unrelated_to_its_completions(answered):
    """Without the shuffle, PostgreSQL would store the wave in the order the sealed rows
    are read, which is the order people answered in: the order of the completions. A
    random order puts about half of all pairs of people the same way round; the odds of
    80% or more by chance, for 30 people, are below one in a billion."""
    enrollments = answered(30)
    assert release.release_closed_waves(AFTER_CLOSE) == 30
    cohort_id = enrollments[0].cohort_id
    key_of = {e.id: sealing.owner(service.pairing_key(cohort_id, e.user_id), "pre")
              for e in enrollments}
    completed = [key_of[e] for e in db.session.scalars(
        sa.select(SurveyCompletion.enrollment_id).order_by(SurveyCompletion.id))]
    stored = ("SELECT respondent FROM survey_responses ORDER BY ctid"
              if db.engine.dialect.name == "postgresql"
              else "SELECT respondent FROM survey_responses NOT INDEXED")
    in_storage = list(dict.fromkeys(db.session.scalars(sa.text(stored))))
    assert sorted(in_storage) == sorted(completed)
    assert 0.2 < _concordance(completed, in_storage) < 0.8


def test_sealed_answers_are_the_same_size_whatever_the_answers(org, make_cohort, make_user,
                                                               enroll):
    """Their length would otherwise follow the answers and the digits of the scores, and
    pair a sealed row (whose owner a copy of the database can tell) with its answers in a
    later copy."""
    from wellbeing.surveys.models import CohortSurveyPlan
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        db.session.add(CohortSurveyPlan(cohort_id=cohort.id, org_id=org.id,
                                        instruments="SCS-SF,PSS-10,WHO-5"))
        db.session.commit()
        people = [enroll(make_user(org=org), cohort) for _ in range(4)]
    extremes = [(1, 0, 0), (5, 4, 5), (2, 1, 3), (3, 2, 1)]
    for enrollment, (scs, pss, who) in zip(people, extremes, strict=True):
        given = {"SCS-SF": dict.fromkeys(range(1, 13), scs) | {1: 1, 5: 3},
                 "PSS-10": dict.fromkeys(range(1, 11), pss),
                 "WHO-5": dict.fromkeys(range(1, 6), who)}
        assert service.submit_wave(enrollment, "pre", given, IN_WEEK_1)
    sizes = {len(sealed) for sealed in db.session.scalars(sa.select(SealedAnswers.sealed))}
    assert len(sizes) == 1


def test_answers_sealed_under_another_pairing_key_are_kept_and_reported(app, answered,
                                                                       monkeypatch, caplog):
    enrollments = answered(2)
    monkeypatch.setitem(app.config, "PAIRING_KEY", "a different key " * 4)
    with caplog.at_level(logging.ERROR, logger="wellbeing.surveys.release"):
        assert release.release_closed_waves(AFTER_CLOSE) == 0
    assert "2 sealed submissions" in caplog.text and "kept sealed" in caplog.text
    assert _count(SealedAnswers) == 2 and _count(SurveyResponse) == 0
    monkeypatch.undo()
    assert release.release_closed_waves(AFTER_CLOSE) == 2
    assert service.own_responses(enrollments[0])["pre"]["PSS-10"].scores["total"] == 16


def test_a_release_that_fails_half_way_loses_nothing(answered, monkeypatch):
    answered(3)

    def shuffle_then_break(rows):
        rows[-1]["wave"] = "never"  # the INSERT, the last step, then fails its check
    monkeypatch.setattr(release, "_shuffle", shuffle_then_break)
    with pytest.raises(sa.exc.IntegrityError):
        release.release_closed_waves(AFTER_CLOSE)
    db.session.rollback()
    assert _count(SealedAnswers) == 3 and _count(SurveyResponse) == 0
    monkeypatch.undo()
    assert release.release_closed_waves(AFTER_CLOSE) == 3


def test_a_reopened_wave_is_rewritten_whole(answered, org, make_user, enroll):
    """HR moves the start later after the pre survey closed and was written: it opens
    again, someone answers, and at the new close the whole wave is written again, so the
    late answer is not the only one of its transaction."""
    first = answered(3)
    assert release.release_closed_waves(AFTER_CLOSE) == 3
    cohort = first[0].cohort
    cohort.start_date = START + dt.timedelta(weeks=4)
    db.session.commit()
    with time_machine.travel(BEFORE_START + dt.timedelta(weeks=4), tick=False):
        late = enroll(make_user(org=org), cohort)
    moment = IN_WEEK_1 + dt.timedelta(weeks=4)
    assert service.submit_wave(late, "pre", _answers(), moment)
    assert release.release_closed_waves(AFTER_CLOSE) == 0  # the new close is later
    assert release.release_closed_waves(AFTER_CLOSE + dt.timedelta(weeks=4)) == 1
    assert _count(SurveyResponse) == 8 and _count(SealedAnswers) == 0
    if db.engine.dialect.name == "postgresql":
        assert len(_xmins("survey_responses")) == 1
