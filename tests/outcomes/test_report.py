"""report.py on hand-made snapshot data: which figures are exact, rounded or hidden."""
from types import SimpleNamespace

from wellbeing.outcomes import report
from wellbeing.outcomes import statistics as st


def _item(pairs, n_pre, n_post):
    sums = st.PairSums.of(pairs)
    return {"n_pre": n_pre, "n_post": n_post, "scales": {"total": sums.as_list()},
            "reliable": st.reliable_change_counts(pairs, 8.06, "lower")}


def _snapshot(item, funnel=(), everyone=None):
    return SimpleNamespace(data={"instruments": {"PSS-10": item}, "funnel": list(funnel),
                                 "practice": [], "everyone": everyone})


FIVE = [(20, 14), (25, 22), (18, 17), (30, 21), (22, 20)]
TWENTY = [(20 + i % 7, 15 + i % 5) for i in range(20)]


def test_pooled_counts_are_rounded_as_each_cohorts_own_are():
    cohorts = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    kept = {1: _snapshot(_item(FIVE, 6, 5)), 2: _snapshot(_item(TWENTY, 22, 20))}
    result, left_out = report.pooled(kept, cohorts, 5, "PSS-10")
    assert left_out == 0
    assert result.n_paired.exact == 25
    # The sums of what the cohorts' pages show: "about 5" + "about 20" (not 28 rounded).
    assert (result.n_pre.text, result.n_post.text) == ("about 25", "about 25")
    assert not result.n_pre.is_exact and not result.n_post.is_exact
    own = report.cohort_result(kept[1], 5, "PSS-10")
    assert (own.n_paired.exact, own.n_post.text, own.n_pre.text) == (5, "about 5", "about 5")


def test_the_organisation_totals_undo_no_cohorts_rounding():
    # The leak a review found: two cohorts each "about 20" before and after, whose exact
    # counts (22 and 22 before, 20 and 20 after) rounded as a sum gave "about 45" before
    # and "about 40" after: each cohort had lost one or two people.
    cohorts = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    kept = {1: _snapshot(_item(TWENTY, 22, 20)), 2: _snapshot(_item(TWENTY, 22, 20))}
    result, _ = report.pooled(kept, cohorts, 5, "PSS-10")
    assert (result.n_pre.text, result.n_post.text) == ("about 40", "about 40")
    own = report.cohort_result(kept[1], 5, "PSS-10")
    assert (own.n_pre.text, own.n_post.text) == ("about 20", "about 20")


def test_the_funnel_closes_what_reasoning_could_narrow_before():
    # The leak a review found: "Opened week 6: 24" exact beside "Completed week 6: 20-49"
    # (3 fewer, so a band) said 1 to 4 people opened week 6 without completing it.
    steps = [["Invited", 40], ["Joined", 38], ["Opened week 6", 24],
             ["Completed week 6", 21], ["Answered the survey after the course", 4]]
    view = report.cohort_view(_snapshot(_item(TWENTY, 20, 20), steps).data, 5)
    texts = [s.figure.text for s in view.funnel]
    assert texts == ["about 40", "about 40", "about 25", "about 20", "fewer than 5"]
    assert not any(s.figure.is_exact for s in view.funnel)
    # The survey counts beside the exact paired count are rounded the same way.
    [result] = view.results
    assert (result.n_pre.text, result.n_post.text, result.n_paired.text) == (
        "about 20", "about 20", "20")


def test_the_week_where_people_stop_is_read_from_rounded_weekly_completions():
    from wellbeing.core.suppression import rounded_count
    steps = [report.FunnelStep(f"Completed week {i}", rounded_count(n, 5))
             for i, n in enumerate((40, 34, 33, 20, 3), start=1)]
    assert report.stop_sentence(steps) == (
        "The largest fall in completed modules is at week 4: about 15 fewer people "
        "completed it than the week before.")
    assert "No week stands out" in report.stop_sentence(steps[:1] + steps[:1])
    # With no two shown weeks in a row nothing was compared, and the page says so.
    assert report.stop_sentence(steps[4:]) == (
        "Where people stop is not shown: no two weeks in a row have enough people to be "
        "shown.")


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


def test_a_scale_on_which_everyone_scored_alike_is_hidden_whatever_the_group_size():
    # Twenty people all at 20 before: "mean before 20.0, SD 0.0" is each person's score.
    same_before = [(20, 14 + i % 4) for i in range(20)]
    same_change = [(10 + i % 6, 7 + i % 6) for i in range(20)]  # each 3 points lower
    for pairs in (same_before, same_change):
        view = report.cohort_view(_snapshot(_item(pairs, 20, 20)).data, 5)
        [result] = view.results
        assert result.total.change is None and "same score" in result.total.hidden
        assert result.reliable == []
    spread = report.cohort_view(_snapshot(_item(TWENTY, 20, 20)).data, 5)
    assert spread.results[0].total.change is not None


def test_a_count_that_could_only_mean_everyone_is_hidden_on_the_outcome_pages():
    # Eighteen enrolled, all eighteen answered before, sixteen after and both: "about 20"
    # before could only be 18 or more, which would say that every one of them answered.
    pairs = TWENTY[:16]
    steps = [["Invited", 18], ["Joined", 18], ["Answered the survey before the course", 18],
             ["Completed week 1", 17]]
    view = report.cohort_view(_snapshot(_item(pairs, 18, 16), steps, everyone=18).data, 5)
    [result] = view.results
    hidden = "fewer than 5, or everyone"
    assert (result.n_pre.text, result.n_post.text) == (hidden, "about 15")
    # The roster shows who was invited and joined anyway; the other steps are guarded.
    assert [s.figure.text for s in view.funnel] == ["about 20", "about 20", hidden,
                                                    "about 15"]
    # The organisation's total would give the hidden count back: hidden too.
    cohorts = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    kept = {1: _snapshot(_item(pairs, 18, 16), everyone=18),
            2: _snapshot(_item(TWENTY, 22, 20), everyone=30)}
    pooled, _ = report.pooled(kept, cohorts, 5, "PSS-10")
    assert pooled.n_pre.hidden and pooled.n_post.text == "about 35"


def test_a_cohort_whose_page_hides_its_total_is_left_out_of_the_organisation():
    # Six people all at 20 before: the cohort's page hides it; pooled with a cohort of
    # twenty, the organisation's mean less the other cohort's would give 20 back.
    alike = [(20, 14 + i % 4) for i in range(6)]
    cohorts = [SimpleNamespace(id=1), SimpleNamespace(id=2)]
    kept = {1: _snapshot(_item(alike, 6, 6)), 2: _snapshot(_item(TWENTY, 20, 20))}
    assert report.cohort_result(kept[1], 5, "PSS-10").total.hidden
    pooled, left_out = report.pooled(kept, cohorts, 5, "PSS-10")
    assert left_out == 1 and pooled.n_paired.exact == 20
    alone = report.cohort_result(kept[2], 5, "PSS-10")
    assert pooled.total.change.mean_pre == alone.total.change.mean_pre


def test_a_part_one_cohort_hides_is_hidden_in_the_organisations_figures_too():
    parts = ("self_kindness", "self_judgment", "common_humanity", "isolation",
             "mindfulness", "over_identification")

    def scs(pairs, alike_part=None):
        spread = st.PairSums.of([(a / 10, b / 10) for a, b in pairs]).as_list()
        alike = st.PairSums.of([(3.0, 3.5 + i % 3 / 2) for i in range(len(pairs))]).as_list()
        scales = {"total": spread} | {p: alike if p == alike_part else spread for p in parts}
        return SimpleNamespace(data={"instruments": {"SCS-SF": {
            "n_pre": len(pairs), "n_post": len(pairs), "scales": scales,
            "reliable": st.reliable_change_counts(pairs, 1.0, "higher")}},
            "funnel": [], "practice": []})
    # In cohort 1 everyone scored 3.0 on self-kindness before: its page hides that part.
    kept = {1: scs(FIVE + FIVE[:1], alike_part="self_kindness"), 2: scs(TWENTY)}
    own = report.cohort_result(kept[1], 5, "SCS-SF")
    assert own.scales[1].hidden and not own.total.hidden
    pooled, left_out = report.pooled(kept, [SimpleNamespace(id=1), SimpleNamespace(id=2)],
                                     5, "SCS-SF")
    assert left_out == 0 and pooled.n_paired.exact == 26
    by_key = {scale.key: scale for scale in pooled.scales}
    assert by_key["self_kindness"].change is None
    assert "a cohort's own page hides this part" in by_key["self_kindness"].hidden
    assert by_key["mindfulness"].change is not None and by_key["total"].change is not None
