"""The facilitator's cohort dashboard: outcomes of the people who answered both surveys,
only once the survey after the course has closed, every number through suppression."""
import datetime as dt

import time_machine

from tests.outcomes.helpers import AFTER_CLOSE, seeded_cohort
from tests.surveys.helpers import IN_POST, table_rows, visible_text
from wellbeing.auth.models import ADMIN, FACILITATOR
from wellbeing.extensions import db
from wellbeing.outcomes import statistics as st
from wellbeing.outcomes.models import OutcomeSnapshot

# PSS-10 totals before and after; SCS-SF keyed sums before and after (total = sum / 12).
EIGHT = [(20, 14, 30, 38), (25, 22, 28, 30), (18, 17, 33, 35), (30, 21, 24, 34),
         (22, 20, 31, 31), (27, 16, 26, 37), (19, 18, 35, 36), (24, 23, 29, 33)]


def _page(client, cohort, when):
    with time_machine.travel(when):
        response = client.get(f"/outcomes/cohorts/{cohort.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _row(html, label):
    return next(r for r in table_rows(html) if r and r[0] == label)


def test_a_closed_cohort_shows_the_paired_change_as_the_statistics_compute_it(
        client, login, make_user, make_cohort, enroll, org):
    facilitator = make_user(FACILITATOR, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT,
                              facilitators=[facilitator])
    login(client, facilitator)
    html = _page(client, cohort, AFTER_CLOSE)
    # The self-compassion total leads (first in the cohort's plan): 2 decimals + 1.
    scs = st.paired_change([(c / 12, d / 12) for _, _, c, d in EIGHT])
    assert _row(html, "Answered both")[1] == "8"
    assert _row(html, "Average before (SD)")[1] == f"{scs.mean_pre:.3f} ({scs.sd_pre:.3f})"
    change = _row(html, "Average change, after − before (95% CI)")[1]
    assert change == f"{scs.difference:+.3f} ({scs.ci_low:.3f} to {scs.ci_high:.3f})"
    pss = st.paired_change([(a, b) for a, b, _, _ in EIGHT])
    # Stress fell: a negative effect size, said to be the better direction for the PSS.
    effects = [r[1] for r in table_rows(html) if r and r[0].startswith("Effect size d")
               and "Hedges" not in r[0]]
    assert effects == [f"{scs.d_z:+.2f} (the better direction)",
                       f"{pss.d_z:+.2f} (the better direction)"]
    rows = [r for r in table_rows(html) if r and r[0] == "Average before (SD)"]
    assert rows[1][1] == f"{pss.mean_pre:.1f} ({pss.sd_pre:.1f})"
    text = visible_text(html)
    # Direction in words, for both questionnaires and the parts.
    assert "higher means more stress noticed over the last month; lower is better" in text
    assert "higher means more self-compassion; higher is better" in text
    assert "Higher means more self-judgment; lower is better" in text
    assert "too few to measure it reliably on its own" in text
    assert "Hedges" in text and "Jacobson" in text
    # Every chart has a table and a sentence; the figures are drawn from our own plotly.js.
    # (Not the practice chart: its quartiles need 10 people, this cohort has 8.)
    assert html.count('role="img"') >= 3 and "cdn" not in html.lower()
    assert "the spread of practice needs at least 10 people" in text
    assert "/course/assets/plotly-" in html


def test_nothing_is_shown_while_the_survey_after_the_course_is_open(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT)
    login(client, admin)
    html = _page(client, cohort, IN_POST)
    assert "Outcomes appear" in html and "Answered both" not in html
    assert db.session.get(OutcomeSnapshot, cohort.id) is None


def test_six_enrolled_five_answer_after_the_course_only_the_paired_count_is_exact(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:5],
                              pre_only=[(21, 30)])
    login(client, admin)
    html = _page(client, cohort, AFTER_CLOSE)
    before, after, both = (_row(html, label)[1] for label in
                           ("Answered before", "Answered after", "Answered both"))
    assert (before, after, both) == ("about 5", "about 5", "5")  # never 6 beside 5
    assert "6" not in [r[1] for r in table_rows(html) if len(r) == 2 and r[0] != "Week 6"]
    assert "Rounded to the nearest 5, so that subtracting one number here from another" in html
    # The one who answered only before is in no mean: the averages are the paired five's.
    scs = st.paired_change([(c / 12, d / 12) for _, _, c, d in EIGHT[:5]])
    assert _row(html, "Average before (SD)")[1].startswith(f"{scs.mean_pre:.3f} ")


def test_a_cohort_of_five_where_one_leaves_hides_every_statistic_with_a_reason(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:4],
                              pre_only=[(21, 30)])
    login(client, admin)
    html = _page(client, cohort, AFTER_CLOSE)
    assert _row(html, "Answered both")[1] == "Hidden"
    assert "Average before (SD)" not in html
    assert "would rest on fewer than 5 people" in visible_text(html)
    assert "Fewer than 5 people: hidden" in visible_text(html)


def test_a_cohort_too_small_for_any_number_says_so_once_instead_of_a_wall_of_hidden(
        client, login, make_user, make_cohort, enroll, org):
    facilitator = make_user(FACILITATOR, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:3],
                              facilitators=[facilitator])
    login(client, facilitator)
    html = _page(client, cohort, AFTER_CLOSE)
    text = visible_text(html)
    assert "Nothing from this cohort can be shown" in text
    assert "would rest on fewer than 5 people" in text
    assert "left out of the organisation's totals" in text
    assert "for each questionnaire (SCS-SF and PSS-10)" in text
    # No table of hidden cells, no chart, nothing to download or print.
    assert "Hidden" not in text and not table_rows(html) and 'role="img"' not in html
    assert "outcomes.csv" not in html and "/print" not in html
    # A cohort with one number to show keeps the full page.
    big, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:4],
                           pre_only=[(21, 30)], facilitators=[facilitator])
    assert "Nothing from this cohort can be shown" not in visible_text(
        _page(client, big, AFTER_CLOSE))


def test_the_snapshot_does_not_move_when_someone_deletes_their_answers_later(
        client, login, make_user, make_cohort, enroll, org):
    from wellbeing.surveys.models import SurveyResponse
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:6])
    login(client, admin)
    first = _page(client, cohort, AFTER_CLOSE)
    key = db.session.query(SurveyResponse.respondent).first()[0]
    db.session.query(SurveyResponse).filter_by(respondent=key).delete()
    db.session.commit()
    assert _page(client, cohort, AFTER_CLOSE) == first


def test_another_facilitator_or_organisation_cannot_open_it(
        client, login, make_user, make_cohort, make_org, enroll, org):
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT)
    for user in (make_user(FACILITATOR, org=org), make_user(ADMIN, org=make_org())):
        other = client.application.test_client()
        login(other, user)
        with time_machine.travel(AFTER_CLOSE):
            for path in ("", "/print", "/outcomes.csv"):
                assert other.get(f"/outcomes/cohorts/{cohort.id}{path}").status_code == 404


def test_beat_takes_the_snapshot_once_the_closed_answers_are_released(
        make_user, make_cohort, enroll, org):
    from tests.surveys.helpers import POST_CLOSES
    from wellbeing.outcomes.snapshots import take_all_due
    from wellbeing.surveys.release import RELEASE_AFTER
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT)
    assert take_all_due(POST_CLOSES - dt.timedelta(minutes=1)) == 0
    # At the close the post answers still wait sealed: a snapshot now would miss them.
    assert take_all_due(POST_CLOSES) == 0
    assert db.session.get(OutcomeSnapshot, cohort.id) is None
    assert take_all_due(POST_CLOSES + RELEASE_AFTER) == 1
    kept = db.session.get(OutcomeSnapshot, cohort.id)
    assert kept.data["instruments"]["PSS-10"]["scales"]["total"][0] == 8
    assert take_all_due(POST_CLOSES + dt.timedelta(hours=1)) == 0


def test_the_reliable_change_threshold_shows_its_working_and_sources(
        client, login, make_user, make_cohort, enroll, org):
    facilitator = make_user(FACILITATOR, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT,
                              facilitators=[facilitator])
    login(client, facilitator)
    text = visible_text(_page(client, cohort, AFTER_CLOSE))
    # PSS-10: 1.96 x 6.2 x sqrt(2) x sqrt(1 - 0.78) = 8.06, from the published norms.
    assert "How 8.06 points is worked out" in text
    assert "1.96 × 6.2 × √2 × √(1 − 0.78) = 8.06" in text
    assert "Cohen & Williamson (1988), US probability sample (mean 13.0, SD 6.2)" in text
    assert "Cronbach's alpha 0.78" in text


def test_the_outcome_page_counts_answers_before_as_the_survey_page_kept_them(
        client, login, make_user, make_cohort, enroll, org):
    # Ten enrolled, eight answered before the course; one of them deletes their account
    # in week 4. The survey page keeps "about 10"; a fresh count at the end would say
    # "about 5", and the two pages together would say that the person who left answered.
    from tests.surveys.helpers import PRE_CLOSES
    from wellbeing.account.service import delete_account
    from wellbeing.auth.models import PARTICIPANT
    admin = make_user(ADMIN, org=org)
    cohort, people = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:6],
                                   pre_only=[(21, 30), (23, 31)])
    for _ in range(2):
        enroll(make_user(PARTICIPANT, org=org), cohort)
    login(client, admin)

    def survey_count(when):
        with time_machine.travel(when):
            html = client.get(f"/surveys/cohorts/{cohort.id}/responses").get_data(
                as_text=True)
        return {r[0]: r[2] for r in table_rows(html)[1:]}["Before the course"]
    assert survey_count(PRE_CLOSES) == "about 10 (final)"
    with time_machine.travel(PRE_CLOSES + dt.timedelta(days=14)):
        delete_account(people[-1].user, delete_answers=True)
    assert survey_count(AFTER_CLOSE) == "about 10 (final)"
    html = _page(client, cohort, AFTER_CLOSE)
    assert _row(html, "Answered before")[1] == "about 10"
    funnel = {r[0]: r[1] for r in table_rows(html) if len(r) == 2}
    assert funnel["Answered the survey before the course"] == "about 10"
