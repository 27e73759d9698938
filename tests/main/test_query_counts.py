"""Staff pages cost the same number of database queries for a cohort of 2 as for one of
14: a page that queried once per person would slow down as cohorts grow."""
import datetime as dt

import pytest
import time_machine
from sqlalchemy import event

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.extensions import db

BOTH = ["/cohorts/", "/cohorts/{c}", "/cohorts/{c}/schedule", "/course/cohorts",
        "/course/cohorts/{c}/completion", "/surveys/cohorts/", "/surveys/cohorts/{c}/responses"]
ADMIN_ONLY = ["/cohorts/{c}/edit", "/cohorts/{c}/enroll", "/surveys/cohorts/{c}/settings",
              "/audit/"]


def _queries_per_page(client, urls) -> dict[str, int]:
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = {}
        for url in urls:
            counted.clear()
            assert client.get(url).status_code == 200, url
            found[url] = len(counted)
        return found
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR])
def test_staff_pages_do_not_query_once_per_person(role, client, login, org, make_user,
                                                  make_cohort, enroll):
    staff = make_user(role, org=org)
    cohort = make_cohort(org=org, facilitators=[staff] if role == FACILITATOR else [])
    urls = [p.format(c=cohort.id) for p in BOTH + (ADMIN_ONLY if role == ADMIN else [])]
    for _ in range(2):
        enroll(make_user(PARTICIPANT, org=org), cohort)
    login(client, staff)
    # Each count follows a first pass: tests share the requests' database session, and
    # the first request after the test's own writes reloads what those writes expired.
    _queries_per_page(client, urls)
    small = _queries_per_page(client, urls)
    for _ in range(12):
        enroll(make_user(PARTICIPANT, org=org), cohort)
    _queries_per_page(client, urls)
    assert _queries_per_page(client, urls) == small


def test_course_pages_cost_the_same_for_a_short_and_a_long_course(
        client, login, org, make_user, make_cohort, enroll):
    """Pages that list the weeks load the organisation's module text in one query, not
    one per week."""
    counts = []
    with time_machine.travel(dt.datetime(2026, 3, 18, 12, tzinfo=dt.UTC), tick=False):
        for weeks in (4, 12):
            person = make_user(PARTICIPANT, org=org)
            enroll(person, make_cohort(org=org, start=dt.date(2026, 3, 2), weeks=weeks))
            login(client, person)
            urls = ["/course/", "/course/weeks/1", "/course/practice"]
            _queries_per_page(client, urls)
            counts.append(_queries_per_page(client, urls))
            client.post("/signout")
    assert counts[0] == counts[1]
