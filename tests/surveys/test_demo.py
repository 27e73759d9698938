"""The demo organisation has synthetic survey answers, scored by the real code."""
from sqlalchemy import func, select

from wellbeing.cli.demo import ensure_demo
from wellbeing.extensions import db
from wellbeing.instruments import get
from wellbeing.instruments.scoring import score
from wellbeing.surveys.models import SurveyCompletion, SurveyResponse


def test_demo_has_pre_and_post_answers_with_stored_scores():
    assert ensure_demo() is True
    counts = dict(db.session.execute(
        select(SurveyResponse.wave, func.count(func.distinct(SurveyResponse.pairing_key)))
        .group_by(SurveyResponse.wave)).all())
    assert counts == {"pre": 9 + 8, "post": 7}
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == 24
    for row in db.session.scalars(select(SurveyResponse)):
        assert row.scores == score(get(row.instrument), row.answers)
    assert ensure_demo() is False
