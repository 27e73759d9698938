"""Staff see how many answered, above the group size, and choose questionnaires."""
import time_machine
from sqlalchemy import select

from tests.surveys.helpers import (
    BEFORE_START,
    IN_WEEK_1,
    PRE_CLOSES,
    START,
    default_answers,
    is_checked,
    table_rows,
    visible_text,
)
from wellbeing.auth.models import ADMIN, PARTICIPANT
from wellbeing.extensions import db
from wellbeing.surveys import service
from wellbeing.surveys.models import CohortSurveyPlan


def _cohort_with_answers(make_cohort, make_user, enroll, org, people, answered, **fields):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START, **fields)
        enrollments = [enroll(make_user(PARTICIPANT, org=org), cohort) for _ in range(people)]
    answers = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}
    for enrollment in enrollments[:answered]:
        assert service.submit_wave(enrollment, "pre", answers, IN_WEEK_1)
    return cohort


def _rows(client, url: str) -> dict[str, str]:
    return {row[0]: row[2] for row in table_rows(client.get(url).get_data(as_text=True))[1:]}


def test_counts_below_the_group_size_are_hidden_with_a_reason(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort = _cohort_with_answers(make_cohort, make_user, enroll, org, 6, 4)
    login(client, admin)
    with time_machine.travel(IN_WEEK_1, tick=False):
        html = client.get(f"/surveys/cohorts/{cohort.id}/responses").get_data(as_text=True)
    rows = {row[0]: row[2] for row in table_rows(html)[1:]}
    assert rows == {"Before the course": "Hidden: fewer than 5, or everyone",
                    "After the course": "Not open yet"}
    assert "Any number below 5 is hidden" in visible_text(html)


def test_an_open_survey_shows_a_range_and_a_closed_one_its_kept_count(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort = _cohort_with_answers(make_cohort, make_user, enroll, org, 8, 7)
    login(client, admin)
    with time_machine.travel(IN_WEEK_1, tick=False):
        html = client.get("/surveys/cohorts/").get_data(as_text=True)
    assert cohort.name in html
    rows = {row[0]: row[2] for row in table_rows(html)[1:]}
    # 7 of the 8 enrolled: the range stops at 8, since no more could have answered.
    assert rows == {"Before the course": "5–8 (open now)", "After the course": "Not open yet"}
    assert "you see a range (such as 5–9), never the exact number" in visible_text(html)
    # The pre survey opens at each person's invitation: no single opening date is shown.
    opens = {row[0]: row[1] for row in table_rows(html)[1:]}
    assert opens == {"Before the course": "From each invitation to 09 Mar 2026",
                     "After the course": "26 Apr 2026 to 10 May 2026"}
    with time_machine.travel(PRE_CLOSES, tick=False):
        rows = _rows(client, "/surveys/cohorts/")
    assert rows["Before the course"] == "about 5 (final)"


def test_facilitator_sees_only_assigned_cohorts(
        client, login, make_cohort, make_user, enroll, org, facilitator):
    mine = _cohort_with_answers(make_cohort, make_user, enroll, org, 1, 0,
                                facilitators=[facilitator], name="Mine")
    other = make_cohort(org=org, name="Someone else's")
    login(client, facilitator)
    index = client.get("/surveys/cohorts/").get_data(as_text=True)
    assert "Mine" in index and "Someone else&#39;s" not in index
    assert client.get(f"/surveys/cohorts/{mine.id}/responses").status_code == 200
    assert client.get(f"/surveys/cohorts/{other.id}/responses").status_code == 404
    assert client.get(f"/surveys/cohorts/{mine.id}/settings").status_code == 403


def test_other_org_and_participants_are_kept_out(
        client, login, make_cohort, make_org, make_user, participant, org):
    cohort = make_cohort(org=org)
    outsider = make_user(ADMIN, org=make_org())
    login(client, outsider)
    assert client.get(f"/surveys/cohorts/{cohort.id}/responses").status_code == 404
    assert client.get(f"/surveys/cohorts/{cohort.id}/settings").status_code == 404
    client.post("/signout")
    login(client, participant)
    assert client.get("/surveys/cohorts/").status_code == 403


def test_admin_chooses_questionnaires_and_follow_up(client, login, admin, make_cohort, org):
    cohort = make_cohort(org=org)
    login(client, admin)
    form = client.get(f"/surveys/cohorts/{cohort.id}/settings").get_data(as_text=True)
    # Defaults: SCS-SF and PSS-10 ticked, WHO-5 not.
    assert is_checked(form, "instruments-0") and is_checked(form, "instruments-1")
    assert not is_checked(form, "instruments-2") and "WHO-5" in form
    response = client.post(f"/surveys/cohorts/{cohort.id}/settings", data={
        "instruments": ["SCS-SF", "WHO-5"], "followup_enabled": "y", "followup_weeks": "10"})
    assert response.status_code == 302
    plan = db.session.get(CohortSurveyPlan, cohort.id)
    assert plan.instrument_codes == ["SCS-SF", "WHO-5"] and plan.followup_weeks == 10
    assert plan.followup_enabled


def test_settings_errors_are_shown_with_the_entries_kept(client, login, admin, make_cohort, org):
    cohort = make_cohort(org=org)
    login(client, admin)
    response = client.post(f"/surveys/cohorts/{cohort.id}/settings",
                           data={"followup_enabled": "y", "followup_weeks": "99"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one questionnaire." in page
    assert "Choose between 4 and 52 weeks." in page and 'value="99"' in page
    assert db.session.get(CohortSurveyPlan, cohort.id) is None


def test_questionnaires_cannot_change_once_people_can_answer(
        client, login, admin, make_cohort, make_user, enroll, org):
    cohort = _cohort_with_answers(make_cohort, make_user, enroll, org, 1, 0)
    login(client, admin)
    page = client.get(f"/surveys/cohorts/{cohort.id}/settings").get_data(as_text=True)
    assert "People in this cohort can already answer its surveys" in page
    response = client.post(f"/surveys/cohorts/{cohort.id}/settings", data={
        "instruments": ["WHO-5"], "followup_weeks": "12"})
    assert response.status_code == 400
    assert "must use the same questions to be comparable" in response.get_data(as_text=True)
    assert db.session.scalar(select(CohortSurveyPlan)) is None
    # Turning on the follow-up, with the same questionnaires, is still fine.
    response = client.post(f"/surveys/cohorts/{cohort.id}/settings", data={
        "instruments": ["SCS-SF", "PSS-10"], "followup_enabled": "y", "followup_weeks": "12"})
    assert response.status_code == 302
    assert db.session.get(CohortSurveyPlan, cohort.id).followup_enabled


def test_a_count_that_could_only_mean_everyone_is_hidden_like_a_small_one(
        client, login, admin, make_cohort, make_user, enroll, org):
    everyone = _cohort_with_answers(make_cohort, make_user, enroll, org, 5, 5, name="All")
    few = _cohort_with_answers(make_cohort, make_user, enroll, org, 5, 2, name="Few")
    some = _cohort_with_answers(make_cohort, make_user, enroll, org, 9, 6, name="Some")
    login(client, admin)
    for moment, state in ((IN_WEEK_1, "open"), (PRE_CLOSES, "closed")):
        with time_machine.travel(moment, tick=False):
            seen = {c.name: _rows(client, f"/surveys/cohorts/{c.id}/responses")
                    ["Before the course"] for c in (everyone, few, some)}
        # "5-5" or "about 5" of five enrolled would say that each of them answered
        assert seen["All"] == seen["Few"] == "Hidden: fewer than 5, or everyone", state
        assert seen["Some"] == {"open": "5–9 (open now)", "closed": "about 5 (final)"}[state]
