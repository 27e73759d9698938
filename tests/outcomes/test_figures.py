"""The engagement chart draws each count as staff may see it: a rounded count at its
rounded value, labelled "about", a hidden count not at all."""
import json

from wellbeing.core.suppression import Figure, rounded_count
from wellbeing.outcomes import figures
from wellbeing.outcomes.report import CohortView, FunnelStep, funnel_sentence


def _funnel(*steps) -> dict:
    view = CohortView(results=[], funnel=[FunnelStep(label, f) for label, f in steps],
                      practice=[])
    return json.loads(figures.funnel(view))


def test_each_step_is_drawn_at_its_rounded_value_and_a_hidden_one_not_at_all():
    chart = _funnel(("Invited", rounded_count(31, 5)),
                    ("Completed week 1", rounded_count(24, 5)),
                    ("Completed week 3", rounded_count(7, 5)),
                    ("Completed week 8", rounded_count(4, 5)))
    [bars] = chart["data"]
    assert bars["x"] == [30, 25, 5] and "base" not in bars
    assert bars["text"] == ["about 30", "about 25", "about 5"]
    assert not any("week 8" in label for label in bars["y"])  # hidden: not drawn at all
    assert chart["layout"]["xaxis"]["range"][1] > 30  # room for the labels


def test_long_step_names_wrap_so_the_chart_keeps_its_width_on_a_phone():
    chart = _funnel(("Answered the survey after the course", rounded_count(12, 5)))
    [label] = chart["data"][0]["y"]
    assert "<br>" in label and all(len(line) <= 18 for line in label.split("<br>"))
    assert chart["layout"]["margin"]["l"] < 60  # the labels' own width, not a fixed 230 px


def test_the_charts_sentence_says_the_bars_are_rounded_and_where_people_stop():
    steps = [FunnelStep("Completed week 1", rounded_count(31, 5)),
             FunnelStep("Completed week 2", rounded_count(19, 5)),
             FunnelStep("Completed week 3", rounded_count(18, 5))]
    sentence = funnel_sentence(steps, 5)
    assert sentence == ("The largest fall in completed modules is at week 2: about 10 fewer "
                        "people completed it than the week before. Each bar is rounded to "
                        "the nearest 5.")
    hidden = [FunnelStep("Completed week 1", Figure("fewer than 5", hidden=True))]
    assert "rounded" not in funnel_sentence(hidden, 5)


def test_reliable_change_bars_cover_everyone_who_answered_both():
    from wellbeing.outcomes import report
    from wellbeing.outcomes import statistics as st
    pairs = [(30, 15)] * 19 + [(20, 20)] * 14 + [(20, 22)] * 3  # 19 improved, 17 others
    result = report.instrument_result(
        "PSS-10", (Figure("36", exact=36),) * 3, {"total": st.PairSums.of(pairs)},
        st.reliable_change_counts(pairs, 8.06, "lower"), 5)
    chart = json.loads(figures.reliable_shares(result))
    [bars] = chart["data"]
    assert bars["x"][0] == 19 and sum(bars["x"]) == 36  # not a lone bar of 19
    assert "The others, not shown separately" in bars["y"]
    assert chart["layout"]["xaxis"]["range"] == [0, 36]


def test_the_cohort_comparison_names_each_cohorts_size_against_the_line_of_no_change():
    from wellbeing import instruments
    from wellbeing.outcomes import report
    from wellbeing.outcomes import statistics as st
    pairs = [(28 + i % 3, 22 + i % 5) for i in range(12)]
    result = report.instrument_result(
        "PSS-10", (Figure("12", exact=12),) * 3, {"total": st.PairSums.of(pairs)},
        st.reliable_change_counts(pairs, 8.06, "lower"), 5)
    chart = json.loads(figures.trend([("Spring cohort", result), ("Pilot", None)],
                                     instruments.registry()["PSS-10"]))
    [points] = chart["data"]
    assert points["x"] == ["Spring<br>cohort<br>n = 12"]  # the hidden pilot is not drawn
    assert "95% CI" in points["hovertemplate"]
    [line] = chart["layout"]["shapes"]
    assert line["y0"] == line["y1"] == 0
    assert "lower is better" in chart["layout"]["yaxis"]["title"]["text"]
