"""report.py on hand-made snapshot data: which figures are exact, banded or hidden."""
from types import SimpleNamespace

from wellbeing.outcomes import report
from wellbeing.outcomes import statistics as st


def _item(pairs, n_pre, n_post):
    sums = st.PairSums.of(pairs)
    return {"n_pre": n_pre, "n_post": n_post, "scales": {"total": sums.as_list()},
            "reliable": st.reliable_change_counts(pairs, 8.06, "lower")}


def _snapshot(item, funnel=()):
    return SimpleNamespace(data={"instruments": {"PSS-10": item}, "funnel": list(funnel),
                                 "practice": []})


FIVE = [(20, 14), (25, 22), (18, 17), (30, 21), (22, 20)]
TWENTY = [(20 + i % 7, 15 + i % 5) for i in range(20)]


def test_pooled_counts_stay_ranges_when_a_cohort_shows_its_own_as_ranges():
    cohorts = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    kept = {1: _snapshot(_item(FIVE, 6, 5)), 2: _snapshot(_item(TWENTY, 20, 20))}
    result, left_out = report.pooled(kept, cohorts, 5, "PSS-10")
    assert left_out == 0
    assert result.n_paired.exact == 25
    assert not result.n_pre.is_exact and not result.n_post.is_exact
    assert "ranges" in result.n_post.reason  # 25 like the paired count, yet a range
    assert "subtracting" in result.n_pre.reason  # 26 is 1 from the paired 25
    # Cohort 1 on its own: 5 both, 5 after exact, 6 before as a range.
    own = report.cohort_result(kept[1], 5, "PSS-10")
    assert (own.n_paired.exact, own.n_post.exact, own.n_pre.text) == (5, 5, "5–9")


def test_the_funnel_is_guarded_with_the_survey_counts_of_the_page():
    steps = [["Invited", 6], ["Joined", 6], ["Answered the survey before the course", 6],
             ["Completed week 1", 6], ["Answered the survey after the course", 5]]
    view = report.cohort_view(_snapshot(_item(FIVE, 6, 5), steps).data, 5)
    texts = [s.figure.text for s in view.funnel]
    assert texts == ["5–9", "5–9", "5–9", "5–9", "5"]  # 6 never beside the exact 5


def test_the_week_where_people_stop_is_read_from_exact_weekly_completions():
    figure = report.FunnelStep
    from wellbeing.core.suppression import Figure, final_count
    steps = [figure("Completed week 1", final_count(40, 5)),
             figure("Completed week 2", final_count(34, 5)),
             figure("Completed week 3", Figure("20–49")),
             figure("Completed week 4", final_count(20, 5))]
    assert report.stop_sentence(steps) == (
        "The largest fall in completed modules is at week 2: 6 fewer people completed it "
        "than the week before.")
    assert "No week stands out" in report.stop_sentence(steps[:1] + steps[:1])
    # With no two exact weeks in a row nothing was compared, and the page says so.
    assert report.stop_sentence(steps[2:]) == (
        "Where people stop is not shown: no two weeks in a row have numbers that can be "
        "shown exactly.")


def _practice_view(*rows):
    data = {**_snapshot(_item(TWENTY, 20, 20)).data, "practice": [list(r) for r in rows]}
    return report.cohort_view(data, 5).practice


def test_practice_quartiles_never_rest_on_few_people_or_show_one_persons_minutes():
    week3, week5, week6, week7, old = _practice_view(
        (3, 6, 6.25, 30, 46.25, 4),   # six people: a quartile is one person's minutes
        (5, 12, 0, 0, 0, 1),          # one of twelve practised: the zeros say so
        (6, 12, 10, 20, 30, 12),      # everyone practised: 0 did not, fewer than 5
        (7, 12, 0, 12.5, 31.25, 7),   # 7 practised, 5 did not: shown, to 5 minutes
        (8, 12, 0, 10, 20))           # counted before the rule: cannot be checked
    assert week3.quartiles is None and "at least 10 people" in week3.hidden
    assert week5.quartiles is None and "fewer than 5 people practised" in week5.hidden
    assert week6.quartiles is None and "fewer than 5 did not" in week6.hidden
    assert week7.quartiles == (0, 10, 30) and week7.hidden is None
    assert old.quartiles is None and "counted before" in old.hidden
