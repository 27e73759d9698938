"""The participant's course home says which survey is next, and links to it."""
import time_machine

from tests.surveys.helpers import BEFORE_START, IN_WEEK_1, START
from wellbeing.surveys import service


def test_home_invites_to_the_open_pre_survey_then_points_to_the_post(
        client, login, make_cohort, enroll, participant, org):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enrollment = enroll(participant, cohort)
    login(client, participant)
    with time_machine.travel(IN_WEEK_1, tick=False):
        html = client.get("/course/").get_data(as_text=True)
        assert "Your before-course survey" in html
        assert 'href="/surveys/pre"' in html and "never sees them" in html
        answers = {"SCS-SF": {i: 3 for i in range(1, 13)},
                   "PSS-10": {i: 2 for i in range(1, 11)}}
        assert service.submit_wave(enrollment, "pre", answers, IN_WEEK_1)
        html = client.get("/course/").get_data(as_text=True)
    # Done with pre: the card moves on to the post survey and when it opens.
    assert "Your end-of-course survey" in html and "Opens" in html
    assert 'href="/surveys/pre"' not in html
    assert f'href="/welcome/{cohort.id}"' in html
