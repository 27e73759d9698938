"""Scoring proven with vectors worked out by hand; every expected value is derived in the
comments beside it, not computed by the code under test."""
import pytest

from wellbeing.instruments import get
from wellbeing.instruments.scoring import IncompleteAnswers, needs_support, reliable_change, score


def as_answers(values):
    return {n: v for n, v in enumerate(values, start=1)}


# ---- SCS-SF: 1–5, reverse 1, 4, 8, 9, 11, 12 (value -> 6 − value), total = mean of 12 --
# Subscales (Raes et al. 2011; Neff): the mean of their own two items AS ANSWERED, so a
# higher self-judgment, isolation or over-identification score means more of it.

EXACT = 1e-9

SCS_REVERSED = [1, 4, 8, 9, 11, 12]


def test_scs_all_lowest():
    result = score(get("SCS-SF"), as_answers([1] * 12))
    # six reversed items 1 -> 5, six others stay 1: (6·5 + 6·1) / 12 = 36 / 12 = 3.0
    assert result["total"] == pytest.approx(3.0)
    # every subscale is the mean of two raw 1s: all 1.0 (no longer 5.0 for self-judgment)
    assert result["subscales"] == {"self_kindness": 1.0, "self_judgment": 1.0,
                                   "common_humanity": 1.0, "isolation": 1.0,
                                   "mindfulness": 1.0, "over_identification": 1.0}


def test_scs_all_highest():
    result = score(get("SCS-SF"), as_answers([5] * 12))
    # reversed 5 -> 1: (6·1 + 6·5) / 12 = 3.0
    assert result["total"] == pytest.approx(3.0)
    assert result["subscales"]["self_kindness"] == 5.0
    assert result["subscales"]["self_judgment"] == 5.0  # raw 5s: the most self-judgment


def test_scs_most_and_least_self_compassionate_patterns():
    kind = [1, 5, 5, 1, 5, 5, 5, 1, 1, 5, 1, 1]  # positive items 5, negative items 1
    assert score(get("SCS-SF"), as_answers(kind))["total"] == pytest.approx(5.0)
    harsh = [6 - v for v in kind]
    assert score(get("SCS-SF"), as_answers(harsh))["total"] == pytest.approx(1.0)


def test_scs_mixed():
    raw = [2, 4, 3, 1, 5, 4, 3, 2, 5, 1, 2, 3]
    # keyed: 1:6−2=4, 2:4, 3:3, 4:6−1=5, 5:5, 6:4, 7:3, 8:6−2=4, 9:6−5=1, 10:1, 11:6−2=4,
    # 12:6−3=3; sum 41; 41 / 12 = 3.41667
    result = score(get("SCS-SF"), as_answers(raw))
    assert result["total"] == pytest.approx(41 / 12, abs=EXACT)
    assert result["subscales"] == {   # raw answers, not the keyed ones
        "self_kindness": 4.0,        # items 2, 6: (4 + 4) / 2
        "self_judgment": 2.5,        # items 11, 12: (2 + 3) / 2
        "common_humanity": 3.0,      # items 5, 10: (5 + 1) / 2
        "isolation": 1.5,            # items 4, 8: (1 + 2) / 2
        "mindfulness": 3.0,          # items 3, 7: (3 + 3) / 2
        "over_identification": 3.5,  # items 1, 9: (2 + 5) / 2
    }


def test_scores_are_stored_at_full_precision_not_rounded():
    # keyed sum 38 (one reversed item answered 1 -> 5, the rest 3): 38 / 12 = 3.1666…
    values = [3] * 12
    values[0] = 1
    total = score(get("SCS-SF"), as_answers(values))["total"]
    assert total == pytest.approx(19 / 6, abs=EXACT)
    assert abs(total - 3.1667) > 1e-5  # the old 4-decimal rounding is gone


def test_scs_subscales_follow_the_published_direction():
    # A harsh pattern: negative items answered 5 ("almost always"), positive items 1.
    harsh = [5, 1, 1, 5, 1, 1, 1, 5, 5, 1, 5, 5]
    result = score(get("SCS-SF"), as_answers(harsh))
    assert result["total"] == pytest.approx(1.0, abs=EXACT)  # least self-compassion
    subs = result["subscales"]
    assert subs["self_judgment"] == subs["isolation"] == subs["over_identification"] == 5.0
    assert subs["self_kindness"] == subs["common_humanity"] == subs["mindfulness"] == 1.0


@pytest.mark.parametrize("item", SCS_REVERSED)
def test_scs_each_reversed_item_alone(item):
    values = [3] * 12          # the midpoint reverses to itself: total 3.0
    values[item - 1] = 1       # reversed: counts as 5
    result = score(get("SCS-SF"), as_answers(values))
    assert result["total"] == pytest.approx((11 * 3 + 5) / 12, abs=EXACT)  # 38 / 12
    owner = {1: "over_identification", 9: "over_identification", 4: "isolation",
             8: "isolation", 11: "self_judgment", 12: "self_judgment"}[item]
    assert result["subscales"][owner] == 2.0  # raw (1 + 3) / 2: less of the negative part


@pytest.mark.parametrize("item", [2, 3, 5, 6, 7, 10])
def test_scs_each_forward_item_alone_is_not_reversed(item):
    values = [3] * 12
    values[item - 1] = 1
    assert score(get("SCS-SF"), as_answers(values))["total"] == pytest.approx(34 / 12,
                                                                               abs=EXACT)


# ---- PSS-10: 0–4, reverse 4, 5, 7, 8 (value -> 4 − value), total = sum, 0–40 ------------

def test_pss_all_lowest_and_all_highest():
    # all 0: the four reversed items count 4 each: 16. all 4: six forward items: 24.
    assert score(get("PSS-10"), as_answers([0] * 10))["total"] == 16
    assert score(get("PSS-10"), as_answers([4] * 10))["total"] == 24


def test_pss_least_and_most_stress():
    calm = [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]
    assert score(get("PSS-10"), as_answers(calm))["total"] == 0
    assert score(get("PSS-10"), as_answers([4 - v for v in calm]))["total"] == 40


def test_pss_mixed():
    raw = [3, 2, 4, 1, 0, 2, 1, 3, 4, 2]
    # keyed: 3, 2, 4, 4−1=3, 4−0=4, 2, 4−1=3, 4−3=1, 4, 2 -> sum 28
    assert score(get("PSS-10"), as_answers(raw))["total"] == 28


@pytest.mark.parametrize("item", [4, 5, 7, 8])
def test_pss_each_reversed_item_alone(item):
    calm = [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]   # total 0
    calm[item - 1] = 0                     # this reversed item now counts 4
    assert score(get("PSS-10"), as_answers(calm))["total"] == 4


# ---- WHO-5: 0–5, no reversed items, raw sum × 4 = 0–100 --------------------------------

def test_who5_lowest_highest_mixed():
    who = get("WHO-5")
    assert who.reverse == frozenset()
    assert score(who, as_answers([0] * 5))["total"] == 0
    assert score(who, as_answers([5] * 5))["total"] == 100
    assert score(who, as_answers([3, 2, 4, 1, 5]))["total"] == 60  # 15 × 4


@pytest.mark.parametrize("item", [1, 2, 3, 4, 5])
def test_who5_each_item_alone_counts_forward(item):
    values = [0] * 5
    values[item - 1] = 5
    assert score(get("WHO-5"), as_answers(values))["total"] == 20  # 5 × 4


# ---- incomplete answers, support ranges, reliable change -------------------------------

def test_missing_or_out_of_range_answers_are_refused():
    with pytest.raises(IncompleteAnswers) as missing:
        score(get("PSS-10"), {**as_answers([2] * 9), 10: None})
    assert missing.value.missing == [10]
    with pytest.raises(IncompleteAnswers) as out_of_range:
        score(get("WHO-5"), as_answers([0, 1, 2, 3, 6]))
    assert out_of_range.value.missing == [5]


def test_support_ranges():
    pss, who = get("PSS-10"), get("WHO-5")
    assert needs_support(pss, {"total": 27, "subscales": {}})
    assert not needs_support(pss, {"total": 26, "subscales": {}})
    assert needs_support(who, {"total": 28, "subscales": {}})
    assert not needs_support(who, {"total": 32, "subscales": {}})
    assert not needs_support(get("SCS-SF"), {"total": 1.0, "subscales": {}})


def test_reliable_change_thresholds():
    # PSS-10: SE_diff = 6.2 · √2 · √(1 − .78) = 4.1126; 1.96 · SE_diff = 8.06 points
    pss = get("PSS-10")
    assert reliable_change(pss, 25, 17) == 0
    assert reliable_change(pss, 25, 16) == -1
    assert reliable_change(pss, 10, 19) == 1
    # SCS-SF: SE_diff = 0.65 · √2 · √(1 − .86) = 0.3439; 1.96 · SE_diff = 0.674
    scs = get("SCS-SF")
    assert reliable_change(scs, 2.5, 3.1) == 0
    assert reliable_change(scs, 2.5, 3.2) == 1
