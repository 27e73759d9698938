import datetime as dt

import pytest
import time_machine

from wellbeing.core.timeutil import now_utc

UTC = dt.UTC
START = dt.date(2026, 3, 2)  # a Monday; week N opens START + 7(N-1) days at 09:00 London


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def sessions():
    """(client, user) pairs to sign in again after the clock moves."""
    return []


@pytest.fixture
def travel(sessions, login):
    """travel(moment): freeze the clock at an aware UTC moment for the rest of the test.
    Signed sessions carry a timestamp, so every signed-in client signs in again then."""
    travellers = []

    def go(moment):
        for t in travellers:
            t.stop()
        travellers.clear()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        for client, user in sessions:
            login(client, user)
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
def signed_in(client, login, participant, enrolled, sessions):
    """A participant with an active enrollment, signed in."""
    login(client, participant)
    sessions.append((client, participant))
    return client


@pytest.fixture
def week3_participant(org, make_cohort, participant, enroll, facilitator):
    """A participant three days into week 3 of a cohort on UTC (for browser tests)."""
    today = now_utc().date()
    cohort = make_cohort(org=org, start=today - dt.timedelta(days=15), tz="UTC",
                         release=dt.time(0, 0), name="Spring cohort",
                         facilitators=[facilitator])
    enroll(participant, cohort)
    return participant
