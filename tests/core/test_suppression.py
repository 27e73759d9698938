"""The suppression rules every staff figure passes through (core/suppression.py)."""
from types import SimpleNamespace

import pytest

from wellbeing.core.suppression import (
    band,
    final_count,
    guard_differences,
    guard_sequence,
    guard_statistic,
    guard_total,
    live_count,
    minimum_group_size,
)


def test_the_minimum_group_size_never_drops_below_three():
    assert minimum_group_size(SimpleNamespace(min_group_size=1)) == 3
    assert minimum_group_size(SimpleNamespace(min_group_size=8)) == 8


@pytest.mark.parametrize(("n", "text"), [
    (0, "fewer than 5"), (4, "fewer than 5"), (5, "5–9"), (9, "5–9"), (10, "10–19"),
    (19, "10–19"), (20, "20–49"), (999, "500–999"), (1000, "1000 or more")])
def test_bands_have_fixed_edges_from_the_minimum(n, text):
    assert band(n, 5) == text


def test_a_band_starts_at_a_larger_minimum_and_stops_at_the_total():
    assert band(12, 12) == "12–19"
    assert band(6, 5, out_of=6) == "5–6"


def test_zero_and_one_look_the_same_to_staff():
    assert live_count(0, 5) == live_count(1, 5) == live_count(4, 5)
    assert final_count(0, 5) == final_count(4, 5)
    assert final_count(0, 5).hidden and final_count(0, 5).text == "fewer than 5"


def test_a_live_count_is_never_exact_and_a_final_one_is():
    assert not live_count(7, 5).is_exact and live_count(7, 5).text == "5–9"
    assert final_count(7, 5).exact == 7 and final_count(7, 5).text == "7"


def test_a_range_that_can_only_mean_everyone_is_hidden():
    assert live_count(5, 5, out_of=5).hidden
    assert live_count(6, 5, out_of=6).text == "5–6"


def test_related_counts_a_few_apart_become_ranges_but_equal_or_distant_ones_stay():
    pre, post = guard_differences([final_count(6, 5), final_count(5, 5)], 5)
    assert (pre.text, post.text) == ("5–9", "5–9") and not pre.is_exact
    assert "differ by fewer than 5" in pre.reason
    same = guard_differences([final_count(6, 5), final_count(6, 5)], 5)
    assert [f.exact for f in same] == [6, 6]
    far = guard_differences([final_count(20, 5), final_count(12, 5)], 5)
    assert [f.exact for f in far] == [20, 12]


def test_a_total_beside_all_but_one_part_hides_one_more_part():
    total, parts = guard_total(30, [3, 12, 15], 5)
    assert total.exact == 30
    assert [p.exact for p in parts] == [None, None, 15]  # 3 + 12 hidden: 15 >= 5
    assert "subtraction" in parts[1].reason


def test_hidden_parts_that_add_up_below_the_minimum_are_joined_by_another():
    total, parts = guard_total(20, [1, 2, 8, 9], 5)
    assert [p.exact for p in parts] == [None, None, None, 9]  # 1 + 2 = 3 would show


def test_two_parts_one_below_the_minimum_are_both_hidden_beside_their_total():
    total, parts = guard_total(9, [2, 7], 5)
    assert total.exact == 9 and all(p.hidden for p in parts)


def test_a_total_with_nothing_hidden_or_hidden_parts_adding_up_is_left_alone():
    total, parts = guard_total(13, [6, 7], 5)
    assert total.exact == 13 and [p.exact for p in parts] == [6, 7]
    total, parts = guard_total(16, [3, 3, 10], 5)
    assert [p.exact for p in parts] == [None, None, 10]


def test_a_funnel_step_close_to_an_earlier_shown_step_becomes_a_band():
    # invited 40, joined 38 (2 fewer: a band), pre 30 (10 fewer than 40: exact), week 1
    # 30 (the same: exact), week 2 27 (3 fewer than 30: a band), post 4 (hidden).
    figures = guard_sequence([40, 38, 30, 30, 27, 4], 5)
    assert [f.text for f in figures] == ["40", "20–49", "30", "30", "20–49", "fewer than 5"]
    assert [f.exact for f in figures] == [40, None, 30, 30, None, None]
    assert "subtracting" in figures[1].reason and figures[5].hidden
    # No two exact steps differ by 1 to 4.
    exact = [f.exact for f in figures if f.is_exact]
    assert not any(0 < abs(a - b) < 5 for a in exact for b in exact)


def test_a_funnel_that_is_not_monotone_is_checked_against_every_shown_step():
    # 25 is 5 below 30 (exact); 22 is 3 below 25, though 8 below 30: a band.
    figures = guard_sequence([40, 30, 25, 22], 5)
    assert [f.exact for f in figures] == [40, 30, 25, None]


def test_a_statistic_on_fewer_than_the_minimum_is_hidden_with_a_reason():
    assert guard_statistic(5, 5) is None
    assert "fewer than 5 people" in guard_statistic(4, 5)
