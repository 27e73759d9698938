import datetime as dt

import time_machine

from wellbeing.cohorts.participants import current_enrollment


def test_a_later_cohort_does_not_hide_the_course_in_progress(make_cohort, enroll, participant,
                                                              org):
    running = make_cohort(org=org, start=dt.date(2026, 3, 2))
    later = make_cohort(org=org, start=dt.date(2026, 9, 7))
    enroll(participant, running)
    enroll(participant, later)
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        assert current_enrollment(participant).cohort_id == running.id
    # Once the first has finished, the next cohort to start is the one that matters.
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        assert current_enrollment(participant).cohort_id == later.id
