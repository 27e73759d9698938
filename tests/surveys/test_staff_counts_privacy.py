"""What staff can learn from survey counts by watching them: not who answered, not when
the first person did, not how many skipped, not who deleted their answers (issue 13)."""
import time_machine
from sqlalchemy import select

from tests.surveys.helpers import (
    BEFORE_START,
    IN_POST,
    IN_WEEK_1,
    POST_CLOSES,
    PRE_CLOSES,
    START,
    default_answers,
    table_rows,
)
from wellbeing.account.service import delete_account
from wellbeing.auth.models import PARTICIPANT
from wellbeing.extensions import db
from wellbeing.surveys import service
from wellbeing.surveys.models import SealedAnswers, SurveyResponse

ANSWERS = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}


def _answer_sets(cohort, wave) -> int:
    written = set(db.session.scalars(select(SurveyResponse.respondent).where(
        SurveyResponse.cohort_id == cohort.id, SurveyResponse.wave == wave)))
    return len(written) + len(db.session.scalars(select(SealedAnswers.id).where(
        SealedAnswers.cohort_id == cohort.id, SealedAnswers.wave == wave)).all())


def _cohort(make_cohort, make_user, enroll, org, people):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        return cohort, [enroll(make_user(PARTICIPANT, org=org), cohort) for _ in range(people)]


def _answer(enrollments, wave, moment):
    for enrollment in enrollments:
        assert service.submit_wave(enrollment, wave, ANSWERS, moment)


def _page(client, cohort, moment) -> str:
    with time_machine.travel(moment, tick=False):
        response = client.get(f"/surveys/cohorts/{cohort.id}/responses")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _counts(client, cohort, moment) -> dict[str, str]:
    return {row[0]: row[2] for row in table_rows(_page(client, cohort, moment))[1:]}


def test_staff_cannot_tell_when_the_first_person_answered(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 6)
    login(client, admin)
    before = _counts(client, cohort, IN_WEEK_1)
    settings_before = client.get(f"/surveys/cohorts/{cohort.id}/settings").get_data(
        as_text=True)
    _answer(people[:1], "pre", IN_WEEK_1)
    after = _counts(client, cohort, IN_WEEK_1)
    settings_after = client.get(f"/surveys/cohorts/{cohort.id}/settings").get_data(
        as_text=True)
    assert before == after
    assert before["Before the course"] == "Hidden: fewer than 5, or everyone"  # never "0"
    assert settings_before == settings_after  # the lock does not flip at the first answer


def test_an_open_surveys_count_does_not_move_by_one(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 12)
    login(client, admin)
    _answer(people[:5], "pre", IN_WEEK_1)
    five = _counts(client, cohort, IN_WEEK_1)
    _answer(people[5:6], "pre", IN_WEEK_1)
    six = _counts(client, cohort, IN_WEEK_1)
    assert five == six
    assert five["Before the course"] == "5–9 (open now)"


def test_pre_and_post_counts_one_apart_are_rounded_alike(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 8)
    login(client, admin)
    _answer(people[:6], "pre", IN_WEEK_1)
    _answer(people[:5], "post", IN_POST)
    counts = _counts(client, cohort, POST_CLOSES)
    # 6 and 5 would say that exactly one person skipped the post survey; "5-9" for both
    # (the earlier rule) said that they differed by 1 to 4.
    assert counts == {"Before the course": "about 5 (final)",
                      "After the course": "about 5 (final)"}
    page = _page(client, cohort, POST_CLOSES)
    assert "rounded to the nearest 5" in page


def test_deleting_an_account_after_the_close_does_not_move_the_count(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 10)
    _answer(people[:8], "pre", IN_WEEK_1)
    login(client, admin)
    assert _counts(client, cohort, PRE_CLOSES)["Before the course"] == "about 10 (final)"
    leaver = people[0].user
    with time_machine.travel(IN_POST, tick=False):
        delete_account(leaver, delete_answers=True)
    assert _answer_sets(cohort, "pre") == 7  # the answers really went
    assert service.respondent_counts(cohort)["pre"] == 8  # the person is still counted
    # 7 would be "about 5": the kept count does not move.
    assert _counts(client, cohort, IN_POST)["Before the course"] == "about 10 (final)"


def test_deleting_an_account_while_a_survey_is_open_says_nothing_of_its_answers(
        client, login, admin, make_cohort, make_user, enroll, org):
    login(client, admin)
    seen = []
    for leaver_answered in (True, False):
        cohort, people = _cohort(make_cohort, make_user, enroll, org, 9)
        _answer(people[:7], "pre", IN_WEEK_1)
        leaver = people[0] if leaver_answered else people[8]
        with time_machine.travel(IN_WEEK_1, tick=False):
            delete_account(leaver.user, delete_answers=True)
        seen.append(_counts(client, cohort, IN_WEEK_1))
    assert seen[0] == seen[1]
    # Of the 9 ever enrolled: the one who deleted their account is still among them.
    assert seen[0]["Before the course"] == "5–9 (open now)"


def test_an_open_band_at_its_edge_keeps_a_person_who_answered_and_left(
        client, login, admin, make_cohort, make_user, enroll, org):
    """Five of ten answered: deleting one of them with their answers made "5–9" into
    "Hidden" and said that they had answered; deleting someone who had not left it."""
    login(client, admin)
    seen = []
    for leaver_answered in (True, False):
        cohort, people = _cohort(make_cohort, make_user, enroll, org, 10)
        _answer(people[:5], "pre", IN_WEEK_1)
        leaver = people[0] if leaver_answered else people[9]
        with time_machine.travel(IN_WEEK_1, tick=False):
            delete_account(leaver.user, delete_answers=True)
        assert _answer_sets(cohort, "pre") == (4 if leaver_answered else 5)
        seen.append(_counts(client, cohort, IN_WEEK_1))
    assert seen[0] == seen[1]
    assert seen[0]["Before the course"] == "5–9 (open now)"


def test_beat_keeps_the_count_of_a_wave_at_its_close(make_cohort, make_user, enroll, org):
    from wellbeing.extensions import db
    from wellbeing.surveys.snapshots import WaveSnapshot, take_all_due

    cohort, people = _cohort(make_cohort, make_user, enroll, org, 6)
    _answer(people[:5], "pre", IN_WEEK_1)
    take_all_due(IN_WEEK_1)
    assert db.session.query(WaveSnapshot).count() == 0  # nothing has closed yet
    take_all_due(PRE_CLOSES)
    take_all_due(PRE_CLOSES)  # a second run keeps the first count
    kept = db.session.query(WaveSnapshot).one()
    assert (kept.cohort_id, kept.wave, kept.respondents) == (cohort.id, "pre", 5)


def test_a_wave_counted_at_its_close_keeps_its_count_when_a_new_schedule_reopens_it(
        client, login, admin, make_cohort, make_user, enroll, org):
    import datetime as dt

    from wellbeing.extensions import db
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 12)
    _answer(people[:8], "pre", IN_WEEK_1)
    login(client, admin)
    assert _counts(client, cohort, PRE_CLOSES)["Before the course"] == "about 10 (final)"
    cohort.start_date = START + dt.timedelta(weeks=3)  # the survey before is open again
    db.session.commit()
    # A band ("5-9") beside the "about 10" seen before would narrow both to 8 or 9.
    assert _counts(client, cohort, PRE_CLOSES)["Before the course"] == "about 10 (final)"


def test_enrolling_someone_later_does_not_unhide_a_closed_count(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort, people = _cohort(make_cohort, make_user, enroll, org, 8)
    _answer(people, "pre", IN_WEEK_1)
    login(client, admin)
    hidden = "Hidden: fewer than 5, or everyone"
    assert _counts(client, cohort, PRE_CLOSES)["Before the course"] == hidden
    # A ninth person, who cannot have answered: against nine, "about 10" would say that
    # all eight had. "Everyone" is kept as it was at the close.
    with time_machine.travel(IN_POST, tick=False):
        enroll(make_user(PARTICIPANT, org=org), cohort)
    assert _counts(client, cohort, IN_POST)["Before the course"] == hidden


def test_the_questionnaire_lock_after_everyone_moved_out_says_nothing_of_answers(
        client, login, admin, make_cohort, make_user, enroll, org):
    from wellbeing.cohorts.enrollment import move
    from wellbeing.extensions import db
    login(client, admin)
    pages = []
    for answered in (True, False):
        cohort, [person] = _cohort(make_cohort, make_user, enroll, org, 1)
        if answered:
            _answer([person], "pre", IN_WEEK_1)
        with time_machine.travel(IN_WEEK_1, tick=False):
            target = make_cohort(org=org, start=START)
            move(person, target, admin, IN_WEEK_1)
            db.session.commit()
            page = client.get(f"/surveys/cohorts/{cohort.id}/settings").get_data(
                as_text=True)
        pages.append("can no longer change" in page)
    # Locked either way: it was published with someone in it, whatever they did.
    assert pages == [True, True]
