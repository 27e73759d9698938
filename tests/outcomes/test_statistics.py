"""The outcome statistics against scipy.stats on random data, against a published vector
for the paired mean difference from summary data, and reliable change by hand."""
import math
import random

import pytest
from scipy import stats

from wellbeing.outcomes import statistics as st

# ---- the t distribution ---------------------------------------------------------------------


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 7, 10, 19, 29, 30, 60, 120, 399, 5000, 99999])
@pytest.mark.parametrize("p", [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 0.001])
def test_t_quantile_matches_scipy(df, p):
    assert st.t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-10)


@pytest.mark.parametrize("df", [1, 3, 8.5, 29, 400])
@pytest.mark.parametrize("t", [-6.0, -2.0, -0.3, 0.0, 0.7, 2.045, 12.0])
def test_t_cdf_matches_scipy(df, t):
    assert st.t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), rel=1e-10, abs=1e-13)


def test_incomplete_beta_matches_scipy():
    from scipy.special import betainc
    rng = random.Random(7)
    for _ in range(200):
        a, b, x = rng.uniform(0.2, 60), rng.uniform(0.2, 60), rng.random()
        assert st.incomplete_beta(a, b, x) == pytest.approx(betainc(a, b, x), rel=1e-9,
                                                            abs=1e-12)


def test_t_quantile_refuses_nonsense():
    for p, df in ((0, 5), (1, 5), (0.5, 0)):
        with pytest.raises(ValueError):
            st.t_quantile(p, df)


# ---- paired change --------------------------------------------------------------------------

def test_published_vector_for_the_paired_difference_from_summary_data():
    # means 58.2 and 51.4, SDs 7.43 and 8.92, r = 0.537, n = 30: difference 6.8,
    # SE 1.455922, t 4.670578, df 29, 95% CI 3.822304 to 9.777696.
    change = st.paired_from_summary(mean_pre=51.4, mean_post=58.2, sd_pre=8.92, sd_post=7.43,
                                    r=0.537, n=30)
    assert change.difference == pytest.approx(6.8, abs=1e-9)
    assert change.se == pytest.approx(1.455922, abs=5e-7)
    assert change.t == pytest.approx(4.670578, abs=5e-6)
    assert change.df == 29
    assert change.ci_low == pytest.approx(3.822304, abs=5e-7)
    assert change.ci_high == pytest.approx(9.777696, abs=5e-7)
    # The same people the other way round: the sign flips, nothing else.
    back = st.paired_from_summary(58.2, 51.4, 7.43, 8.92, 0.537, 30)
    assert (back.difference, back.ci_low, back.ci_high) == pytest.approx(
        (-6.8, -9.777696, -3.822304), abs=5e-7)


@pytest.mark.parametrize("seed", range(12))
def test_paired_change_matches_scipy_on_random_data(seed):
    rng = random.Random(seed)
    n = rng.choice([5, 6, 9, 17, 40, 250])
    pre = [rng.gauss(20, 6) for _ in range(n)]
    post = [p - rng.gauss(2, 4) for p in pre]
    change = st.paired_change(list(zip(pre, post, strict=True)))
    expected = stats.ttest_rel(post, pre)
    diffs = [b - a for a, b in zip(pre, post, strict=True)]
    assert change.t == pytest.approx(expected.statistic, rel=1e-9)
    assert change.df == n - 1
    assert change.se == pytest.approx(stats.sem(diffs), rel=1e-12)
    low, high = stats.t.interval(0.95, n - 1, loc=sum(diffs) / n, scale=stats.sem(diffs))
    assert (change.ci_low, change.ci_high) == pytest.approx((low, high), rel=1e-9)
    ci = expected.confidence_interval(0.95)
    assert (change.ci_low, change.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert change.sd_pre == pytest.approx(stats.tstd(pre), rel=1e-12)
    assert change.d_z == pytest.approx(stats.tmean(diffs) / stats.tstd(diffs), rel=1e-12)
    d_av = (sum(post) - sum(pre)) / n / ((stats.tstd(pre) + stats.tstd(post)) / 2)
    assert change.d_av == pytest.approx(d_av, rel=1e-12)
    assert change.g_av == pytest.approx(d_av * (1 - 3 / (4 * (n - 1) - 1)), rel=1e-12)


def test_paired_change_by_hand():
    # pre 1, 2, 3, 4, 5; post 2, 4, 3, 6, 5: changes 1, 2, 0, 2, 0 -> mean 1.0
    # SD of changes: deviations 0, 1, −1, 1, −1 -> sum of squares 4 / 4 = 1 -> 1.0
    change = st.paired_change([(1, 2), (2, 4), (3, 3), (4, 6), (5, 5)])
    assert change.difference == pytest.approx(1.0, abs=1e-12)
    assert change.sd_difference == pytest.approx(1.0, abs=1e-12)
    assert change.se == pytest.approx(1 / math.sqrt(5), abs=1e-12)
    assert change.d_z == pytest.approx(1.0, abs=1e-12)
    # t(0.975, 4) = 2.776445105…
    assert change.ci_high - change.difference == pytest.approx(2.7764451 / math.sqrt(5),
                                                               abs=1e-7)


def test_no_spread_gives_no_effect_size_rather_than_a_division_by_zero():
    change = st.paired_change([(2, 3)] * 5)
    assert change.difference == 1 and change.d_z is None and change.ci_low == 1


# ---- reliable change (Jacobson & Truax) -------------------------------------------------------

def test_reliable_change_threshold_by_hand():
    # PSS-10: 1.96 · 6.2 = 12.152; · √2 = 17.185523; · √(1 − .78) = · 0.469042 = 8.060725
    assert st.reliable_change_threshold(6.2, 0.78) == pytest.approx(8.060725, abs=1e-6)
    # SCS-SF: 1.96 · 0.65 = 1.274; · √2 = 1.801687; · √(1 − .86) = · 0.374166 = 0.674137
    assert st.reliable_change_threshold(0.65, 0.86) == pytest.approx(0.674137, abs=1e-6)


def test_reliable_change_respects_the_direction_that_is_better():
    pss = st.reliable_change_threshold(6.2, 0.78)  # 8.06
    # Lower stress is better: a fall of 9 improves, a rise of 9 worsens, 8 is noise.
    assert st.classify_change(25, 16, pss, "lower") == st.IMPROVED
    assert st.classify_change(16, 25, pss, "lower") == st.WORSENED
    assert st.classify_change(25, 17, pss, "lower") == st.NO_CHANGE
    scs = st.reliable_change_threshold(0.65, 0.86)  # 0.674
    assert st.classify_change(2.5, 3.2, scs, "higher") == st.IMPROVED
    assert st.classify_change(2.5, 3.1, scs, "higher") == st.NO_CHANGE
    assert st.classify_change(3.2, 2.5, scs, "higher") == st.WORSENED
    counts = st.reliable_change_counts([(25, 16), (16, 25), (25, 17), (30, 10)], pss, "lower")
    assert counts == {st.IMPROVED: 2, st.NO_CHANGE: 1, st.WORSENED: 1}


def test_quartiles_match_numpy_default():
    import numpy
    rng = random.Random(3)
    for n in (5, 6, 11, 100):
        values = [rng.randint(0, 180) for _ in range(n)]
        assert st.quartiles(values) == pytest.approx(
            tuple(numpy.percentile(values, [25, 50, 75])), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_sums_give_the_same_change_and_pool_by_adding(seed):
    rng = random.Random(100 + seed)
    a = [(rng.uniform(1, 5), rng.uniform(1, 5)) for _ in range(rng.randint(5, 60))]
    b = [(rng.uniform(1, 5), rng.uniform(1, 5)) for _ in range(rng.randint(5, 60))]
    direct, from_sums = st.paired_change(a), st.PairSums.of(a).change()
    for name in ("mean_pre", "mean_post", "sd_pre", "sd_post", "difference",
                 "sd_difference", "ci_low", "ci_high", "d_z", "g_av"):
        assert getattr(from_sums, name) == pytest.approx(getattr(direct, name), rel=1e-9)
    pooled = (st.PairSums.of(a) + st.PairSums.of(b)).change()
    assert pooled.t == pytest.approx(st.paired_change(a + b).t, rel=1e-9)
