"""Wave windows, next_survey for the participant home, and submission under a race."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.surveys.helpers import (
    BEFORE_START,
    IN_POST,
    IN_WEEK_1,
    POST_CLOSES,
    POST_OPENS,
    PRE_CLOSES,
    START,
    default_answers,
    release_everything,
)
from wellbeing.extensions import db
from wellbeing.surveys import sealing, service
from wellbeing.surveys.models import (
    CohortSurveyPlan,
    SealedAnswers,
    SurveyCompletion,
    SurveyResponse,
)


def _enrolled(make_cohort, enroll, participant, org, **cohort):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START, **cohort)
        return enroll(participant, cohort)


def _answers():
    return {code: dict(enumerate(values, start=1))
            for code, values in default_answers().items()}


def test_windows_follow_the_cohort_schedule_across_the_clock_change(
        make_cohort, enroll, participant, org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    pre, post = service.windows(enrollment.cohort, enrollment.invited_at)
    assert pre == (service.PRE, BEFORE_START, PRE_CLOSES)
    # Week 8 opens 20 April 09:00 BST = 08:00 UTC; post opens six days later.
    assert post == (service.POST, POST_OPENS, POST_CLOSES)
    # Open from the last day for exactly 14 days (it used to stay open 15).
    assert POST_CLOSES - POST_OPENS == dt.timedelta(days=14)


def test_windows_keep_the_local_release_time_when_the_clocks_change_inside_them(
        make_cohort, enroll, participant, org):
    """A cohort whose last day is 23 March 2027 (GMT): the post survey closes 14 local days
    later, 6 April, at 09:00 BST (08:00 UTC), not 10:00 BST. The clocks go forward on
    28 March."""
    with time_machine.travel(dt.datetime(2027, 1, 20, tzinfo=dt.UTC), tick=False):
        cohort = make_cohort(org=org, start=dt.date(2027, 1, 27))  # Wednesdays, 09:00
        enrollment = enroll(participant, cohort)
    plan = CohortSurveyPlan(cohort_id=cohort.id, org_id=org.id, instruments="PSS-10",
                            followup_enabled=True, followup_weeks=4)
    db.session.add(plan)
    db.session.commit()
    _, post, followup = service.windows(cohort, enrollment.invited_at)
    assert post.opens_at == dt.datetime(2027, 3, 23, 9, 0, tzinfo=dt.UTC)  # still GMT
    assert post.closes_at == dt.datetime(2027, 4, 6, 8, 0, tzinfo=dt.UTC)  # 09:00 BST
    assert followup.opens_at == dt.datetime(2027, 4, 21, 8, 0, tzinfo=dt.UTC)


def test_follow_up_window_when_enabled(make_cohort, enroll, participant, org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    db.session.add(CohortSurveyPlan(cohort_id=enrollment.cohort_id, org_id=org.id,
                                    instruments="WHO-5", followup_enabled=True,
                                    followup_weeks=12))
    db.session.commit()
    followup = service.window(enrollment.cohort, service.FOLLOWUP)
    # Course ends 27 April 08:00 UTC; plus 12 weeks = 20 July; open for 21 days.
    assert followup.opens_at == dt.datetime(2026, 7, 20, 8, 0, tzinfo=dt.UTC)
    assert followup.closes_at == dt.datetime(2026, 8, 10, 8, 0, tzinfo=dt.UTC)
    assert [i.code for i in service.instruments_for(enrollment.cohort)] == ["WHO-5"]


def test_next_survey_walks_through_the_course(make_cohort, enroll, participant, org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    first = service.next_survey(enrollment, IN_WEEK_1)
    assert first == ("pre", BEFORE_START, PRE_CLOSES, True, False)
    service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1)
    thanks = service.next_survey(enrollment, IN_WEEK_1)
    assert (thanks.wave, thanks.done) == ("post", False) and not thanks.is_open
    later = service.next_survey(enrollment, IN_POST)
    assert (later.wave, later.is_open, later.done) == ("post", True, False)
    service.submit_wave(enrollment, "post", _answers(), IN_POST)
    assert service.next_survey(enrollment, IN_POST) == ("post", POST_OPENS, POST_CLOSES,
                                                        True, True)
    assert service.next_survey(enrollment, POST_CLOSES) is None


def test_missed_pre_survey_moves_on_to_post(make_cohort, enroll, participant, org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    upcoming = service.next_survey(enrollment, PRE_CLOSES)
    assert (upcoming.wave, upcoming.is_open) == ("post", False)


def test_withdrawn_gets_no_survey(make_cohort, enroll, participant, org):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enrollment = enroll(participant, cohort, status="withdrawn")
    assert service.next_survey(enrollment, IN_WEEK_1) is None


def test_a_second_submission_is_stopped_by_the_database(make_cohort, enroll, participant,
                                                          org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    assert service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1) is True
    assert service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1) is False
    assert db.session.scalar(select(func.count()).select_from(SealedAnswers)) == 1
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == 1
    release_everything()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 2


def test_a_fault_that_is_not_a_repeat_is_raised_not_told_as_already_received(
        make_cohort, enroll, participant, org):
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    assert enrollment.cohort is not None  # loaded, so it can be used once detached
    db.session.expunge(enrollment)
    enrollment.org_id = None  # the INSERT then breaks a NOT NULL rule, not a unique one
    with pytest.raises(IntegrityError):
        service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SealedAnswers)) == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyCompletion)) == 0


def test_answer_rows_get_random_ids(make_cohort, enroll, participant, org):
    import uuid
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    assert service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1)
    ids = list(db.session.scalars(select(SealedAnswers.id)))
    release_everything()
    ids += list(db.session.scalars(select(SurveyResponse.id)))
    assert len(set(ids)) == 3
    assert all(uuid.UUID(i).version == 4 for i in ids)


def test_pairing_key_is_hmac_of_cohort_and_user(app, make_cohort, enroll, participant, org):
    import hashlib
    import hmac
    enrollment = _enrolled(make_cohort, enroll, participant, org)
    expected = hmac.new(app.config["PAIRING_KEY"].encode(),
                        f"{enrollment.cohort_id}:{participant.id}".encode(),
                        hashlib.sha256).hexdigest()
    assert service.pairing_key(enrollment.cohort_id, participant.id) == expected
    service.submit_wave(enrollment, "pre", _answers(), IN_WEEK_1)
    release_everything()
    pairings = db.session.scalars(select(SurveyResponse.pairing))
    assert {sealing.open_pairing(enrollment.cohort_id, p) for p in pairings} == {expected}
