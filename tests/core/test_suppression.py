"""The suppression rules every staff figure passes through (core/suppression.py)."""
import functools
from types import SimpleNamespace

import pytest

from wellbeing.core.suppression import (
    band,
    final_count,
    guard_sequence,
    guard_statistic,
    guard_total,
    live_count,
    minimum_group_size,
    rounded_count,
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


@pytest.mark.parametrize("minimum", [3, 5, 6, 10])
@pytest.mark.parametrize("count", [live_count, rounded_count])
def test_out_of_a_known_total_everyone_and_a_few_read_the_same(count, minimum):
    # Whatever is shown, a reader who knows the total can never conclude "all of them":
    # some smaller count reads the same; and every hidden figure has one text and reason.
    for total in range(1, 60):
        shown = [count(n, minimum, total) for n in range(total + 1)]
        assert shown[total] in shown[:total], (total, shown[total])
        hidden = {(f.text, f.reason) for f in shown if f.hidden}
        assert len(hidden) <= 1 and all(f"fewer than {minimum}, or everyone" == text
                                        for text, _ in hidden)


def test_counts_of_the_same_people_are_rounded_to_the_minimum_and_hidden_below_it():
    assert [rounded_count(n, 5).text for n in (4, 5, 7, 8, 12, 13, 24)] == [
        "fewer than 5", "about 5", "about 5", "about 10", "about 10", "about 15", "about 25"]
    assert rounded_count(24, 5).rounded == 25 and not rounded_count(24, 5).is_exact
    assert rounded_count(9, 6).text == "about 12" and rounded_count(8, 6).text == "about 6"
    assert "Rounded to the nearest 5" in rounded_count(24, 5).reason


@functools.cache
def _could_be(n: int, minimum: int) -> frozenset[int]:
    """Every true count a reader could take a rounded count to stand for."""
    shown = rounded_count(n, minimum).text
    return frozenset(x for x in range(0, 120) if rounded_count(x, minimum).text == shown)


@pytest.mark.parametrize("minimum", [3, 5, 6, 10])
def test_no_two_rounded_counts_say_that_a_few_people_stopped_in_between(minimum):
    # A reader who knows the rule and that a later step never exceeds an earlier one
    # (completed week 6 <= opened week 6) still cannot conclude that between 1 and
    # minimum - 1 people stopped: 0, or at least the minimum, always remains possible.
    # (The earlier rule showed "Opened week 6: 24" beside "Completed week 6: 20-49":
    # 1 to 4 people had stopped.)
    for later in range(0, 80):
        for earlier in range(later, 80):
            gaps = {a - b for a in _could_be(earlier, minimum)
                    for b in _could_be(later, minimum) if b <= a}
            assert 0 in gaps or max(gaps) >= minimum, (earlier, later)


@pytest.mark.parametrize("minimum", [3, 5, 6, 10])
def test_a_rounded_count_beside_the_exact_paired_count_says_no_few(minimum):
    # "Answered both: 24" is exact; "Answered before" can only be 24 or more.
    for both in range(minimum, 80):
        for before in range(both, 90):
            gaps = {a - both for a in _could_be(before, minimum) if a >= both}
            assert 0 in gaps or max(gaps) >= minimum, (before, both)


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


def test_an_exact_count_close_to_an_earlier_exact_one_becomes_a_band():
    # The number who answered both, per questionnaire, is exact (a mean's interval gives
    # it away): 40, then 38 (2 fewer: a band), 30 (10 fewer than 40: exact), 30 (the
    # same: exact), 27 (3 fewer than 30: a band), 4 (hidden).
    figures = guard_sequence([40, 38, 30, 30, 27, 4], 5)
    assert [f.text for f in figures] == ["40", "20–49", "30", "30", "20–49", "fewer than 5"]
    assert [f.exact for f in figures] == [40, None, 30, 30, None, None]
    assert "subtracting" in figures[1].reason and figures[5].hidden
    # No two exact steps differ by 1 to 4.
    exact = [f.exact for f in figures if f.is_exact]
    assert not any(0 < abs(a - b) < 5 for a in exact for b in exact)


def test_exact_counts_are_checked_against_every_exact_one_before():
    # 25 is 5 below 30 (exact); 22 is 3 below 25, though 8 below 30: a band.
    figures = guard_sequence([40, 30, 25, 22], 5)
    assert [f.exact for f in figures] == [40, 30, 25, None]


def test_a_statistic_on_fewer_than_the_minimum_is_hidden_with_a_reason():
    assert guard_statistic(5, 5) is None
    assert "fewer than 5 people" in guard_statistic(4, 5)
