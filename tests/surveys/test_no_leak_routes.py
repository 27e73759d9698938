"""No staff page shows one person's answers or scores: every route of the app, with every
plausible id, as every staff role and as another organisation's admin."""
import datetime as dt
import itertools
import json
import re

import pytest
import time_machine
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.surveys.helpers import (
    BEFORE_START,
    IN_POST,
    IN_WEEK_1,
    POST_CLOSES,
    START,
    release_everything,
)
from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.extensions import db
from wellbeing.surveys import service
from wellbeing.surveys.models import SurveyResponse

REVERSED = {1, 4, 8, 9, 11, 12}
# Keyed SCS-SF sums whose means have tell-tale decimals: 41/12 = 3.4167, 43/12 = 3.5833 …
# (post adds 2: no sum here or there is a multiple of 6, whose mean would be round).
SCS_SUMS = [41, 43, 29, 31, 37, 25, 47]


def _scs_raw(keyed_sum: int) -> list[int]:
    keyed = [3] * 12
    step = 1 if keyed_sum > 36 else -1
    for i in itertools.islice(itertools.cycle(range(12)), abs(keyed_sum - 36)):
        keyed[i] += step
    return [6 - k if n in REVERSED else k for n, k in enumerate(keyed, start=1)]


def _seed(make_org, make_user, make_cohort, enroll):
    org, other_org = make_org(name="Leakless Ltd"), make_org(name="Elsewhere plc")
    admin = make_user(ADMIN, org=org)
    facilitator = make_user(FACILITATOR, org=org)
    outsider = make_user(ADMIN, org=other_org)
    people = []
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START, facilitators=[facilitator])
        foreign = make_cohort(org=other_org, start=START)
        for index, scs_sum in enumerate(SCS_SUMS):
            target, home = (cohort, org) if index < 6 else (foreign, other_org)
            person = make_user(PARTICIPANT, org=home)
            people.append((person, enroll(person, target), scs_sum))
    for _person, enrollment, scs_sum in people:
        for wave, moment, shift in (("pre", IN_WEEK_1, 0), ("post", IN_POST, 2)):
            answers = {"SCS-SF": dict(enumerate(_scs_raw(scs_sum + shift), start=1)),
                       "PSS-10": dict(enumerate([4, 3, 4, 0, 1, 4, 0, 1, 3, 4], start=1))}
            assert service.submit_wave(enrollment, wave, answers, moment)
    release_everything()  # the answer table holds them, as staff pages would find them
    return {"staff": [admin, facilitator, outsider], "people": people,
            "cohorts": [cohort, foreign]}


def _markers() -> list[str]:
    found = set()
    for row in db.session.query(SurveyResponse):
        found.add(row.respondent)
        found.add(row.id)
        found.add(json.dumps(row.answers))
        total = row.scores["total"]
        # Only tell-tale decimals ("3.42"), never round values a page could show anyway.
        if row.instrument == "SCS-SF" and abs(total * 10 - round(total * 10)) > 1e-6:
            found.update({f"{total:.2f}", f"{total:.4f}"})
    return sorted(found)


def _leak_pattern(markers: list[str]) -> re.Pattern:
    """One pattern for every marker, each as a whole token: "3.92" inside a timestamp like
    "05:03:03.925" or "13.92" is not the score 3.92."""
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile(r"(?<![\w.:])(?:" + alternatives + r")(?![\w])")


def _watch_query_reads(app, monkeypatch) -> list:
    """Notes each request whose view (or anything it calls) reads the query string, so
    the sweep tries every id in the query only where a query can change the page."""
    reads = []

    class WatchedRequest(app.request_class):
        @property
        def args(self):
            reads.append(self.path)
            return super().args

    monkeypatch.setattr(app, "request_class", WatchedRequest)
    return reads


def _candidates(rule, ints, strings):
    per_argument = []
    for name in sorted(rule.arguments):
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            per_argument.append(list(converter.items))
        elif isinstance(converter, IntegerConverter):
            per_argument.append(ints)
        else:
            per_argument.append(strings + [str(i) for i in ints])
    names = sorted(rule.arguments)
    for values in itertools.islice(itertools.product(*per_argument), 600):
        yield dict(zip(names, values, strict=True))


@pytest.mark.parametrize("who", [0, 1, 2], ids=["org-admin", "facilitator", "other-org-admin"])
def test_no_route_shows_an_individual_answer_or_score(
        app, who, make_org, make_user, make_cohort, enroll, login, monkeypatch):
    seeded = _seed(make_org, make_user, make_cohort, enroll)
    markers = _markers()
    leak = _leak_pattern(markers)
    ids = {0, 999999}
    for person, enrollment, _ in seeded["people"]:
        ids.update({person.id, enrollment.id})
    for user in seeded["staff"]:
        ids.update({user.id, user.org_id})
    ids.update(c.id for c in seeded["cohorts"])
    ints = sorted(ids)
    strings = ["pre", "post", "followup", "SCS-SF", "PSS-10", "WHO-5", *markers[:40]]

    # The markers are real: the participant's own results page shows their score.
    own = app.test_client()
    login(own, seeded["people"][0][0])
    assert "3.42" in own.get("/surveys/results").get_data(as_text=True)

    client = app.test_client()
    staff = seeded["staff"][who]
    login(client, staff)
    read_query = _watch_query_reads(app, monkeypatch)
    queries = [f"?e={i}&cohort_id={i}&id={i}&user_id={i}&wave=pre&page={i}&week={i}"
               for i in ints]
    requested = with_queries = 0

    def check(method, url):
        nonlocal requested
        response = client.open(url, method=method)
        requested += 1
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (method, url)
        leaked = leak.findall(body)
        assert not leaked, (staff.role, method, url, leaked)

    with time_machine.travel(IN_POST):
        for rule in app.url_map.iter_rules():
            # Signing out, or demoting and deactivating the staff member probing, would end
            # the probe itself; those pages only redirect and show no numbers.
            if rule.endpoint in {"static", "auth.signout", "orgs.people_action"}:
                continue
            methods = [m for m in ("GET", "POST") if m in rule.methods]
            for values in _candidates(rule, ints, strings):
                path = rule.build(values, append_unknown=False)[1]
                for method in methods:
                    read_query.clear()
                    check(method, path)
                    # Every id in the query string, wherever the view reads the query (a
                    # view that never reads it answers the same whatever it holds).
                    if read_query:
                        with_queries += 1
                        for query in queries:
                            check(method, path + query)
    assert requested > 2000
    assert with_queries >= 2  # at least the cohort list and the audit log or CSV preview

    # Once the survey after the course has closed, the outcome dashboards and exports
    # show numbers: still no individual value, and no count below the minimum.
    before = requested
    with time_machine.travel(POST_CLOSES + dt.timedelta(days=1)):
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("outcomes."):
                continue
            for values in _candidates(rule, ints, strings):
                path = rule.build(values, append_unknown=False)[1]
                for query in ("", "?instrument=PSS-10", "?instrument=SCS-SF&print=1"):
                    check("GET", path + query)
                    response = client.get(path + query)
                    if response.mimetype == "text/csv":
                        _no_count_below_minimum(response.get_data(as_text=True))
        if who == 0:  # the org admin really sees the outcomes of the six
            page = client.get(f"/outcomes/cohorts/{seeded['cohorts'][0].id}")
            assert "Answered both" in page.get_data(as_text=True)
    assert requested - before >= 10


def _no_count_below_minimum(text: str, minimum: int = 5) -> None:
    import csv
    import io
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        if row[0] in ("counts", "engagement", "reliable change") and row[5].isdigit():
            assert int(row[5]) >= minimum, row
