"""A participant takes a survey: windows, missing answers kept, once only, own results."""
import time_machine
from sqlalchemy import func, select

from tests.surveys.helpers import (
    BEFORE_START,
    IN_POST,
    IN_WEEK_1,
    POST_CLOSES,
    PRE_CLOSES,
    START,
    default_answers,
    form_data,
    is_checked,
    release_everything,
    visible_text,
)
from wellbeing.extensions import db
from wellbeing.surveys import sealing, service
from wellbeing.surveys.models import SealedAnswers, SurveyCompletion, SurveyResponse


def _setup(make_cohort, enroll, participant, org):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enrollment = enroll(participant, cohort)
    return cohort, enrollment


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_form_shows_items_as_radio_groups_with_instructions_and_progress(
        client, login, make_cohort, enroll, participant, org):
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        page = client.get("/surveys/pre").get_data(as_text=True)
    assert page.count("<fieldset class=\"survey-item") == 22
    assert page.count("<legend>") == 22
    assert "Part 1 of 2" in page and "Part 2 of 2" in page
    assert "how i typically act towards myself in difficult times" in page.lower()
    assert "the last month" in page
    assert "Almost always" in page and "Very often" in page
    assert "0 of 22 statements answered" in visible_text(page)


def test_missing_answers_are_listed_with_links_and_chosen_answers_kept(
        client, login, make_cohort, enroll, participant, org):
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    data = form_data(default_answers(), skip=(("SCS-SF", 3), ("PSS-10", 10)))
    with time_machine.travel(IN_WEEK_1):
        response = client.post("/surveys/pre", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 statements still need an answer" in page
    assert 'href="#scssf_3-0"' in page and 'href="#pss10_10-0"' in page
    assert "take a balanced view of the situation" in page
    # The chosen answers are still selected (SCS-SF statement 2 was 4, PSS 1 was 2).
    assert is_checked(page, "scssf_2-3") and not is_checked(page, "scssf_2-2")
    assert is_checked(page, "pss10_1-2")
    assert not any(is_checked(page, f"scssf_3-{i}") for i in range(5))
    assert "20 of 22 statements answered" in visible_text(page)
    assert _count(SealedAnswers) == 0 and _count(SurveyCompletion) == 0


def test_an_answer_off_the_scale_is_refused_like_a_missing_one(
        client, login, make_cohort, enroll, participant, org):
    """A hand-made POST with a value no radio button offers stores nothing: the item
    is listed as still needing an answer, and the other answers stay chosen."""
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    data = form_data(default_answers())
    data["pss10_4"] = "5"      # PSS-10 runs 0 to 4
    data["scssf_7"] = "high"
    with time_machine.travel(IN_WEEK_1):
        response = client.post("/surveys/pre", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "2 statements still need an answer" in page
    assert 'href="#pss10_4-0"' in page and 'href="#scssf_7-0"' in page
    assert is_checked(page, "pss10_1-2") and is_checked(page, "scssf_2-3")
    assert _count(SealedAnswers) == 0 and _count(SurveyCompletion) == 0


def test_submission_seals_the_answers_and_stores_a_completion_without_a_date(
        client, login, make_cohort, enroll, participant, org):
    cohort, enrollment = _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        response = client.post("/surveys/pre", data=form_data(default_answers()))
        results = client.get(response.headers["Location"]).get_data(as_text=True)
    assert response.status_code == 302
    completion = db.session.scalar(select(SurveyCompletion))
    assert (completion.enrollment_id, completion.wave) == (enrollment.id, "pre")
    # Until the wave closes the answers exist only sealed: nothing readable, yet the
    # person sees their own results at once.
    assert _count(SurveyResponse) == 0
    sealed = db.session.scalar(select(SealedAnswers))
    key = service.pairing_key(cohort.id, participant.id)
    assert (sealed.cohort_id, sealed.wave) == (cohort.id, "pre")
    assert key.encode() not in sealed.sealed and b"PSS-10" not in sealed.sealed
    assert "4.00" in visible_text(results) and "Before the course" in visible_text(results)
    assert release_everything() == 1
    rows = db.session.scalars(select(SurveyResponse)).all()
    assert sorted(r.instrument for r in rows) == ["PSS-10", "SCS-SF"]
    scs = next(r for r in rows if r.instrument == "SCS-SF")
    assert scs.scores["total"] == 4.0
    assert scs.answers["1"] == 2 and scs.answers["2"] == 4 and len(scs.answers) == 12
    assert len(scs.id) == 36 and scs.respondent == sealing.owner(key, "pre")
    assert sealing.open_pairing(cohort.id, scs.pairing) == key
    assert _count(SealedAnswers) == 0


def test_second_submission_says_already_received_and_stores_nothing(
        client, login, make_cohort, enroll, participant, org):
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        client.post("/surveys/pre", data=form_data(default_answers()))
        again = client.post("/surveys/pre", data=form_data(default_answers(pss=[4] * 10)))
        shown = client.get("/surveys/pre")
    assert "We already have your answers" in again.get_data(as_text=True)
    assert "nothing new was stored" in shown.get_data(as_text=True)
    assert _count(SealedAnswers) == 1 and _count(SurveyCompletion) == 1
    release_everything()
    totals = db.session.scalars(select(SurveyResponse.scores)).all()
    assert {t["total"] for t in totals} == {4.0, 20.0}


def test_pre_closes_when_week_two_opens_and_post_opens_on_the_last_day(
        client, login, make_cohort, enroll, participant, org):
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(PRE_CLOSES):
        closed = client.post("/surveys/pre", data=form_data(default_answers()))
        early_post = client.get("/surveys/post")
    assert closed.status_code == 409
    assert "This survey has closed" in closed.get_data(as_text=True)
    assert "could not be stored" in closed.get_data(as_text=True)
    assert "This survey opens later" in early_post.get_data(as_text=True)
    with time_machine.travel(IN_POST):
        assert client.post("/surveys/post", data=form_data(default_answers())).status_code == 302
    with time_machine.travel(POST_CLOSES):
        page = client.get("/surveys/").get_data(as_text=True)
    assert "Closed on" in page and "Done, thank you." in page
    assert _count(SealedAnswers) == 1 and _count(SurveyCompletion) == 1


def test_withdrawn_participant_cannot_take_a_survey(
        client, login, make_cohort, enroll, participant, org):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enroll(participant, cohort, status="withdrawn")
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        assert client.get("/surveys/pre").status_code == 404
        page = client.get("/surveys/").get_data(as_text=True)
        assert "You left this course, so it has no more surveys for you." in page
        assert "Take the survey" not in page


def test_results_show_own_scores_then_change_after_post(
        client, login, make_cohort, enroll, participant, org):
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        client.post("/surveys/pre", data=form_data(default_answers(pss=[3] * 10)))
        pre_page = client.get("/surveys/results").get_data(as_text=True)
    # PSS all 3: keyed 3,3,3,1,1,3,1,1,3,3 = 22.
    assert "22" in pre_page and "4.00" in pre_page and "Before the course" in pre_page
    assert "points lower" not in pre_page
    release_everything()  # pre written to the answer table, post to come sealed
    with time_machine.travel(IN_POST):
        client.post("/surveys/post", data=form_data(default_answers(pss=[1] * 10)))
        page = visible_text(client.get("/surveys/results").get_data(as_text=True))
    # PSS all 1: keyed 1,1,1,3,3,1,3,3,1,1 = 18; change 22 -> 18, 4 points lower.
    assert "22 before the course, 18 after the course" in page
    assert "4 points lower" in page
    assert "within the ordinary ups and downs" in page
    assert "Support is available" not in page


def test_results_draw_the_persons_own_change_with_a_table_and_the_better_direction(
        client, login, make_cohort, enroll, participant, org):
    import json
    import re
    _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        client.post("/surveys/pre", data=form_data(default_answers(pss=[3] * 10)))
    with time_machine.travel(IN_POST):
        client.post("/surveys/post", data=form_data(default_answers(pss=[1] * 10)))
        html = client.get("/surveys/results").get_data(as_text=True)
    data = re.search(r'id="own-pss10-data">(.*?)</script>', html, re.S).group(1)
    bars = json.loads(data)["data"][0]
    assert bars["y"] == [22, 18] and bars["text"] == ["22", "18"]
    assert len(set(bars["marker"]["pattern"]["shape"])) == 2  # not colour alone
    text = visible_text(html)
    assert ("Your perceived stress (total): 22 before the course, 18 after the course. "
            "Higher numbers mean more stress noticed over the last month, so lower is "
            "better.") in text
    assert 'role="img"' in html and "/course/assets/plotly-" in html
    assert "Self-judgment Higher means more self-judgment; lower is better" in text
    assert "Parts of the scale (secondary detail)" in text


def test_being_added_to_a_later_cohort_keeps_results_on_the_course_in_progress(
        client, login, make_cohort, enroll, participant, org):
    import datetime as dt
    cohort, _ = _setup(make_cohort, enroll, participant, org)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1):
        client.post("/surveys/pre", data=form_data(default_answers(pss=[3] * 10)))
    # HR adds them to next term's cohort while this one is still running.
    with time_machine.travel(BEFORE_START, tick=False):
        later = make_cohort(org=org, name="Next term", start=START + dt.timedelta(weeks=12))
        enroll(participant, later)
    in_week_3 = IN_WEEK_1 + dt.timedelta(weeks=2)
    with time_machine.travel(in_week_3):
        results = visible_text(client.get("/surveys/results").get_data(as_text=True))
        post = visible_text(client.get("/surveys/post").get_data(as_text=True))
    assert "22" in results and "not answered" not in results
    assert "26 Apr 2026" in post  # this course's post survey, not next term's
