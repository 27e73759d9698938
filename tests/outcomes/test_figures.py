"""The engagement chart draws each count as staff may see it: an exact count from zero,
a range as that range (never as its lower end), a hidden count not at all."""
import json

from wellbeing.core.suppression import Figure
from wellbeing.outcomes import figures
from wellbeing.outcomes.report import CohortView, FunnelStep, funnel_sentence


def _funnel(*steps) -> dict:
    view = CohortView(results=[], funnel=[FunnelStep(label, f) for label, f in steps],
                      practice=[])
    return json.loads(figures.funnel(view))


def test_a_range_is_drawn_as_a_range_and_an_exact_count_from_zero():
    chart = _funnel(("Invited", Figure("31", exact=31)),
                    ("Completed week 1", Figure("20–49")),
                    ("Completed week 3", Figure("5–9")),
                    ("Completed week 8", Figure("fewer than 5", hidden=True)))
    exact, ranged = chart["data"]
    assert exact["x"] == [31] and "base" not in exact
    assert ranged["base"] == [20, 5] and ranged["x"] == [29, 4]  # 20 to 49, 5 to 9
    assert ranged["text"] == ["20–49", "5–9"]
    drawn = exact["y"] + ranged["y"]
    assert not any("week 8" in label for label in drawn)  # hidden: not drawn at all
    # The axis reaches past the highest end of every range, with room for the labels.
    assert chart["layout"]["xaxis"]["range"][1] > 49


def test_long_step_names_wrap_so_the_chart_keeps_its_width_on_a_phone():
    chart = _funnel(("Answered the survey after the course", Figure("12", exact=12)))
    [label] = chart["data"][0]["y"]
    assert "<br>" in label and all(len(line) <= 18 for line in label.split("<br>"))
    assert chart["layout"]["margin"]["l"] < 60  # the labels' own width, not a fixed 230 px


def test_an_open_range_starts_at_its_lowest_value():
    chart = _funnel(("Invited", Figure("1000 or more")), ("Joined", Figure("640", exact=640)))
    ranged = next(trace for trace in chart["data"] if trace["name"] == "range")
    assert ranged["base"] == [1000] and ranged["x"][0] > 0


def test_the_charts_sentence_says_how_a_range_is_drawn_only_when_there_is_one():
    exact = [FunnelStep("Completed week 1", Figure("12", exact=12))]
    ranged = [*exact, FunnelStep("Completed week 2", Figure("5–9"))]
    assert "Hatched bars" not in funnel_sentence(exact)
    assert "Hatched bars are counts shown as a range" in funnel_sentence(ranged)


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
