"""Cohorts whose people answered before and after the course, on the surveys' calendar."""
import datetime as dt

import time_machine

from tests.surveys.helpers import BEFORE_START, IN_POST, IN_WEEK_1, POST_CLOSES, START
from wellbeing.auth.models import PARTICIPANT
from wellbeing.extensions import db
from wellbeing.surveys import service

AFTER_CLOSE = POST_CLOSES + dt.timedelta(days=1)
REVERSED_SCS = {1, 4, 8, 9, 11, 12}


def pss_with_total(total: int) -> dict[int, int]:
    """PSS-10 answers whose total is `total` (0–40): forward items first."""
    keyed = [0] * 10
    for i in range(total):
        keyed[i % 10] += 1
    return {n: (4 - k if n in (4, 5, 7, 8) else k) for n, k in enumerate(keyed, start=1)}


def scs_with_keyed(values: list[int]) -> dict[int, int]:
    return {n: (6 - k if n in REVERSED_SCS else k) for n, k in enumerate(values, start=1)}


def scs_with_sum(keyed_sum: int) -> dict[int, int]:
    keyed = [1] * 12
    for i in range(keyed_sum - 12):
        keyed[i % 12] += 1
    return scs_with_keyed(keyed)


def seeded_cohort(make_user, make_cohort, enroll, org, pairs, *, pre_only=(), name=None,
                  facilitators=(), start=START):
    """A cohort where each (pss_pre, pss_post, scs_pre_sum, scs_post_sum) person answered
    both surveys, and each (pss, scs_sum) in `pre_only` answered only before."""
    shift = start - START
    with time_machine.travel(BEFORE_START + shift, tick=False):
        cohort = make_cohort(org=org, start=start, facilitators=list(facilitators),
                             **({"name": name} if name else {}))
        people = [enroll(make_user(PARTICIPANT, org=org), cohort)
                  for _ in range(len(pairs) + len(pre_only))]
    for enrollment in people:
        enrollment.joined_at = BEFORE_START + shift
    db.session.commit()
    for enrollment, values in zip(people, list(pairs) + list(pre_only), strict=True):
        if len(values) == 4:
            pss_pre, pss_post, scs_pre, scs_post = values
        else:
            (pss_pre, scs_pre), pss_post = values, None
        assert service.submit_wave(enrollment, "pre", {
            "PSS-10": pss_with_total(pss_pre), "SCS-SF": scs_with_sum(scs_pre)},
            IN_WEEK_1 + shift)
        if pss_post is not None:
            assert service.submit_wave(enrollment, "post", {
                "PSS-10": pss_with_total(pss_post), "SCS-SF": scs_with_sum(scs_post)},
                IN_POST + shift)
    return cohort, people
