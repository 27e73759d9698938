"""No existence oracle: asking for another organisation's cohort, person, enrollment,
journal entry, practice or announcement gets exactly the answer asking for one that does
not exist gets: same status, same page (the number aside), for every route with an id,
found from the URL map, as each role."""
import datetime as dt
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.cohorts.models import Enrollment
from wellbeing.course.models import JournalEntry, PracticeLog
from wellbeing.extensions import db
from wellbeing.reminders.models import Announcement

FOREIGN, MISSING = 424242, 434343  # ids of their own, so a page's other numbers stay
ID_TABLES = {  # route argument -> which foreign row it names
    "cohort_id": "cohort", "enrollment_id": "enrollment", "user_id": "user",
    "announcement_id": "announcement", "message_id": "message", "week": None}


def _foreign_world(make_org, make_user, make_cohort, other=None):
    other = other or make_org(name="Elsewhere plc")
    person = make_user(PARTICIPANT, org=other, id=FOREIGN, name="Ola Elsewhere")
    cohort = make_cohort(org=other, id=FOREIGN, name="Elsewhere Spring",
                         start=dt.date(2026, 3, 2))
    db.session.add(Enrollment(id=FOREIGN, org_id=other.id, cohort_id=cohort.id,
                              user_id=person.id, status="active"))
    db.session.add(JournalEntry(id=FOREIGN, org_id=other.id, author_id=person.id,
                                body_encrypted="x", written_on=dt.date(2026, 3, 3)))
    db.session.add(PracticeLog(id=FOREIGN, org_id=other.id, enrollment_id=FOREIGN,
                               cohort_id=cohort.id,
                               day=dt.date(2026, 3, 3), practice="other", minutes=5))
    db.session.add(Announcement(id=FOREIGN, org_id=other.id, cohort_id=cohort.id,
                                subject="Elsewhere news", body="Hello"))
    db.session.commit()


def _urls(app, number):
    """Every (method, url) whose path holds a row id, with that id everywhere."""
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items()
                if isinstance(c, IntegerConverter) and n != "week"]
        if not ints:
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif name == "week":
                values[name] = 1
            elif isinstance(converter, IntegerConverter):
                values[name] = number
            else:
                values[name] = "x"
        url = rule.build(values)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield method, url


def _page(response) -> tuple:
    body = response.get_data(as_text=True)
    body = re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", body)
    body = body.replace(str(FOREIGN), "ID").replace(str(MISSING), "ID")
    return response.status_code, response.location, body


@pytest.mark.parametrize("role", [PARTICIPANT, FACILITATOR, ADMIN])
def test_another_organisations_rows_answer_as_rows_that_do_not_exist(
        app, client, login, make_org, make_user, make_cohort, enroll, org, role):
    _foreign_world(make_org, make_user, make_cohort)
    me = make_user(role, org=org)
    if role == PARTICIPANT:  # enrolled in a cohort of their own, as participants are
        enroll(me, make_cohort(org=org, start=dt.date(2026, 3, 2)))
    login(client, me)
    foreign = list(_urls(app, FOREIGN))
    missing = list(_urls(app, MISSING))
    assert len(foreign) > 25 and any("/welcome/" in url for _, url in foreign)
    for (method, url), (_, missing_url) in zip(foreign, missing, strict=True):
        theirs = _page(client.open(url, method=method, data={"name": "x"}))
        nothing = _page(client.open(missing_url, method=method, data={"name": "x"}))
        assert theirs[0] < 500, (role, method, url)
        assert theirs == nothing, (role, method, url, theirs[0], nothing[0])
        assert "Elsewhere" not in theirs[2], (role, method, url)


@pytest.mark.parametrize("role", [PARTICIPANT, FACILITATOR])
def test_a_cohort_of_ones_own_organisation_that_is_not_ones_own_answers_as_a_missing_one(
        app, client, login, make_org, make_user, make_cohort, enroll, org, role):
    """Inside the organisation too: a facilitator asking for a cohort they do not run (or
    a page only HR may open), a participant asking for a course they are not in, learn
    nothing about whether it exists."""
    _foreign_world(make_org, make_user, make_cohort, other=org)
    me = make_user(role, org=org)
    if role == PARTICIPANT:
        enroll(me, make_cohort(org=org, start=dt.date(2026, 3, 2)))
    login(client, me)
    for (method, url), (_, missing_url) in zip(_urls(app, FOREIGN), _urls(app, MISSING),
                                               strict=True):
        theirs = _page(client.open(url, method=method, data={"name": "x"}))
        nothing = _page(client.open(missing_url, method=method, data={"name": "x"}))
        assert theirs[0] < 500, (role, method, url)
        assert theirs == nothing, (role, method, url, theirs[0], nothing[0])
        assert "Elsewhere" not in theirs[2], (role, method, url)
