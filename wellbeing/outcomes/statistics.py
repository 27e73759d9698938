"""The statistics of a pre/post course: plain Python, no Flask, no scipy at run time.

Everything here works on numbers already chosen for the group; which numbers staff may
see is decided by the suppression rules (core/suppression.py), not here. The t quantile
is computed from the regularized incomplete beta function (Numerical Recipes' continued
fraction) and checked against scipy in the tests.
"""
import math
from dataclasses import dataclass
from functools import lru_cache


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def sd(values) -> float:
    """Sample standard deviation (n − 1)."""
    values = list(values)
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


# ---- Student's t distribution ------------------------------------------------------------

def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The t value below which a share p of the distribution lies (0 < p < 1): the CDF
    inverted by bisection, which is slow only in principle (a hundred steps, cached)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-13 * max(1.0, high):
            break
    return (low + high) / 2.0


# ---- paired change -------------------------------------------------------------------------

@dataclass(frozen=True)
class PairedChange:
    """Post minus pre for the people who answered both. `difference` is the mean change;
    d_z = difference / SD of the changes; d_av uses the average of the two SDs and g_av
    is d_av with Hedges' small-sample correction (Lakens 2013)."""
    n: int
    mean_pre: float
    mean_post: float
    sd_pre: float
    sd_post: float
    difference: float
    sd_difference: float
    se: float
    t: float
    df: int
    ci_low: float
    ci_high: float
    d_z: float | None
    d_av: float | None
    g_av: float | None


def hedges_correction(df: int) -> float:
    """J = 1 − 3 / (4·df − 1), the usual approximation to Hedges' exact factor."""
    return 1.0 - 3.0 / (4.0 * df - 1.0)


def paired_from_summary(mean_pre: float, mean_post: float, sd_pre: float, sd_post: float,
                        r: float, n: int, confidence: float = 0.95) -> PairedChange:
    """The paired change from summary data: the SD of the differences follows from the two
    SDs and their correlation r."""
    variance = sd_pre ** 2 + sd_post ** 2 - 2.0 * r * sd_pre * sd_post
    return _paired(n, mean_pre, mean_post, sd_pre, sd_post, math.sqrt(max(variance, 0.0)),
                   confidence)


def paired_change(pairs: list[tuple[float, float]], confidence: float = 0.95) -> PairedChange:
    """From (pre, post) pairs, at least two."""
    if len(pairs) < 2:
        raise ValueError("a paired change needs at least two pairs")
    pre = [a for a, _ in pairs]
    post = [b for _, b in pairs]
    return _paired(len(pairs), mean(pre), mean(post), sd(pre), sd(post),
                   sd([b - a for a, b in pairs]), confidence)


@dataclass(frozen=True)
class PairSums:
    """What a group's pairs add up to: enough to get back every statistic of the paired
    change, and to pool groups by adding (cohorts into an organisation)."""
    n: int = 0
    pre: float = 0.0
    post: float = 0.0
    pre_sq: float = 0.0
    post_sq: float = 0.0
    cross: float = 0.0

    @classmethod
    def of(cls, pairs) -> "PairSums":
        pairs = list(pairs)
        return cls(len(pairs), sum(a for a, _ in pairs), sum(b for _, b in pairs),
                   sum(a * a for a, _ in pairs), sum(b * b for _, b in pairs),
                   sum(a * b for a, b in pairs))

    def __add__(self, other: "PairSums") -> "PairSums":
        return PairSums(*(x + y for x, y in zip(self.as_list(), other.as_list(),
                                                strict=True)))

    def as_list(self) -> list:
        return [self.n, self.pre, self.post, self.pre_sq, self.post_sq, self.cross]

    def change(self, confidence: float = 0.95) -> PairedChange:
        n = self.n
        if n < 2:
            raise ValueError("a paired change needs at least two pairs")
        m_pre, m_post = self.pre / n, self.post / n
        var_pre = max(self.pre_sq - n * m_pre * m_pre, 0.0) / (n - 1)
        var_post = max(self.post_sq - n * m_post * m_post, 0.0) / (n - 1)
        cov = (self.cross - n * m_pre * m_post) / (n - 1)
        var_diff = max(var_pre + var_post - 2.0 * cov, 0.0)
        return _paired(n, m_pre, m_post, math.sqrt(var_pre), math.sqrt(var_post),
                       math.sqrt(var_diff), confidence)


def _paired(n, mean_pre, mean_post, sd_pre, sd_post, sd_diff, confidence) -> PairedChange:
    difference = mean_post - mean_pre
    df = n - 1
    se = sd_diff / math.sqrt(n)
    half = t_quantile(0.5 + confidence / 2.0, df) * se
    t = difference / se if se > 0 else math.copysign(math.inf, difference) if difference \
        else 0.0
    sd_av = (sd_pre + sd_post) / 2.0
    d_z = difference / sd_diff if sd_diff > 0 else None
    d_av = difference / sd_av if sd_av > 0 else None
    g_av = d_av * hedges_correction(df) if d_av is not None else None
    return PairedChange(n, mean_pre, mean_post, sd_pre, sd_post, difference, sd_diff, se, t,
                        df, difference - half, difference + half, d_z, d_av, g_av)


# ---- reliable change (Jacobson & Truax 1991) -----------------------------------------------

IMPROVED, NO_CHANGE, WORSENED = "improved", "no reliable change", "worsened"


def reliable_change_threshold(norm_sd: float, reliability: float) -> float:
    """1.96 · SE_diff, SE_diff = SD · √2 · √(1 − r): the smallest change beyond the
    ordinary ups and downs of the questionnaire (95%)."""
    return 1.96 * norm_sd * math.sqrt(2.0) * math.sqrt(1.0 - reliability)


def classify_change(before: float, after: float, threshold: float, better: str) -> str:
    """Improved, worsened or no reliable change, in the direction that is better for this
    scale ("higher" or "lower")."""
    change = after - before
    if abs(change) <= threshold:
        return NO_CHANGE
    up_is_good = better == "higher"
    return IMPROVED if (change > 0) == up_is_good else WORSENED


def reliable_change_counts(pairs, threshold: float, better: str) -> dict[str, int]:
    counts = dict.fromkeys((IMPROVED, NO_CHANGE, WORSENED), 0)
    for before, after in pairs:
        counts[classify_change(before, after, threshold, better)] += 1
    return counts


def quartiles(values) -> tuple[float, float, float]:
    """Lower quartile, median and upper quartile (linear interpolation, as numpy's
    default and Excel's QUARTILE.INC)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("quartiles of nothing")

    def at(q):
        position = q * (len(ordered) - 1)
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return at(0.25), at(0.5), at(0.75)
