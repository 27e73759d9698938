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
    # running 9 + pilot 8 before; pilot 7 after; the finished outcome cohorts (42, 36
    # and 6 people) 84 before and 36 + 29 + 5 = 70 after.
    assert counts == {"pre": 9 + 8 + 84, "post": 7 + 70}
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == \
        24 + 84 + 70
    for row in db.session.scalars(select(SurveyResponse)):
        assert row.scores == score(get(row.instrument), row.answers)
    assert ensure_demo() is False
