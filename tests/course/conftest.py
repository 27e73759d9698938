import datetime as dt

import pytest
import time_machine

UTC = dt.UTC
START = dt.date(2026, 3, 2)  # a Monday; week N opens START + 7(N-1) days at 09:00 London


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def travel():
    """travel(moment): freeze the clock at an aware UTC moment for the rest of the test."""
    travellers = []

    def go(moment):
        for t in travellers:
            t.stop()
        travellers.clear()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
    yield go
    for t in travellers:
        t.stop()


@pytest.fixture
def cohort(make_cohort, org, facilitator):
    return make_cohort(org=org, start=START, name="Spring cohort", facilitators=[facilitator])


@pytest.fixture
def enrolled(participant, cohort, enroll):
    return enroll(participant, cohort)


@pytest.fixture
def signed_in(client, login, participant, enrolled):
    """A participant with an active enrollment, signed in."""
    login(client, participant)
    return client
