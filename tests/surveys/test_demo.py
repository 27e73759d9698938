"""The demo organisation has synthetic survey answers, scored by the real code."""
from sqlalchemy import func, select

from tests.surveys.helpers import release_everything
from wellbeing.cli.demo import ensure_demo
from wellbeing.cohorts.models import Cohort
from wellbeing.extensions import db
from wellbeing.instruments import get
from wellbeing.instruments.scoring import score
from wellbeing.surveys import service
from wellbeing.surveys.models import SurveyCompletion, SurveyResponse


def _written() -> dict[str, int]:
    return dict(db.session.execute(
        select(SurveyResponse.wave, func.count(func.distinct(SurveyResponse.respondent)))
        .group_by(SurveyResponse.wave)).all())


def test_demo_has_pre_and_post_answers_with_stored_scores():
    assert ensure_demo() is True
    counts = {"pre": 0, "post": 0, "followup": 0}
    for cohort in db.session.scalars(select(Cohort)):
        for wave, n in service.respondent_counts(cohort).items():
            counts[wave] += n
    # running 9 + pilot 8 before; pilot 7 after; the finished outcome cohorts (42, 36
    # and 6 people) 84 before and 36 + 29 + 5 = 70 after.
    assert counts == {"pre": 9 + 8 + 84, "post": 7 + 70, "followup": 0}
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == \
        24 + 84 + 70
    # Closed waves' answers are written; the pilot's post survey is still open, so its
    # answers wait sealed.
    assert _written() == {"pre": 9 + 8 + 84, "post": 70}
    release_everything()
    assert _written() == {"pre": 9 + 8 + 84, "post": 7 + 70}
    for row in db.session.scalars(select(SurveyResponse)):
        assert row.scores == score(get(row.instrument), row.answers)
    assert ensure_demo() is False
