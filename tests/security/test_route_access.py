"""Every route, found from the URL map, tried as each role, signed out, and as another
organisation's admin: who gets in is what ACCESS below says, everyone else is refused
(403/404, or sent to sign in), and no page shows another organisation's data. A new
route fails `test_every_route_has_a_declared_audience` until someone decides who may use
it."""
import datetime as dt

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.course import journal
from wellbeing.course.models import PracticeLog
from wellbeing.extensions import db
from wellbeing.reminders.models import Announcement

ANYONE = "anyone"  # public: the sign-in pages, health, static files
SIGNED_IN = (ADMIN, FACILITATOR, PARTICIPANT)
STAFF = (ADMIN, FACILITATOR)
ACCESS = {
    "main.index": ANYONE, "main.healthz": ANYONE, "static": ANYONE,
    # Gated by network, not role: the demo mailbox (embedded profile, this machine only:
    # 404 here) and the Prometheus figures (METRICS_ALLOW_FROM or a token: 403 here).
    "main.mailbox": ANYONE, "main.prometheus_metrics": ANYONE,
    "course.plotly_js": ANYONE,
    "auth.signin": ANYONE, "auth.signin_password": ANYONE, "auth.choose_account": ANYONE,
    "auth.request_link": ANYONE, "auth.link": ANYONE, "auth.use_link": ANYONE,
    "reminders.unsubscribe": ANYONE,
    "main.home": SIGNED_IN, "auth.signout": SIGNED_IN, "account.index": SIGNED_IN,
    "account.download": SIGNED_IN, "reminders.preferences": SIGNED_IN,
    "account.delete": (PARTICIPANT,),
    "auth.choose_password": STAFF,
    "cohorts.index": STAFF, "cohorts.detail": STAFF, "cohorts.schedule_page": STAFF,
    "course.cohorts": STAFF, "course.completion": STAFF, "course.preview_week": STAFF,
    "outcomes.index": STAFF, "outcomes.cohort": STAFF, "outcomes.cohort_csv": STAFF,
    "outcomes.cohort_print": STAFF, "reminders.write": STAFF, "reminders.preview": STAFF,
    "reminders.delivery": STAFF, "reminders.retry_message": STAFF,
    "survey_staff.index": STAFF, "survey_staff.responses": STAFF,
    **{endpoint: (ADMIN,) for endpoint in (
        "audit.index", "cohorts.create", "cohorts.edit", "cohorts.lifecycle",
        "cohorts.enroll", "cohorts.csv_template", "cohorts.move_person",
        "cohorts.resend_invitation", "cohorts.withdraw_person", "cohorts.upload",
        "cohorts.preview", "cohorts.confirm", "cohorts.resend_invitations",
        "cohorts.roster_export", "course.modules", "course.edit_module",
        "course.restore_module", "course.new_module", "course.recordings_list",
        "course.recording_edit", "course.recording_delete", "orgs.people_page",
        "orgs.people_action", "orgs.settings", "outcomes.organisation",
        "outcomes.organisation_csv", "survey_staff.settings")},
    **{endpoint: (PARTICIPANT,) for endpoint in (
        "course.home", "course.week", "course.complete", "course.practice",
        "course.journal_home", "course.journal_entry", "course.journal_delete",
        "course.journal_edit", "course.library", "course.favourite",
        "course.carry_forward", "course.pockets", "course.pocket", "course.practice_log",
        "course.delete_practice", "course.any_practice", "course.too_much",
        "course.credits", "surveys.index", "surveys.take", "surveys.results",
        "participation.welcome", "participation.calendar", "participation.leave")},
    # Recordings play for everyone signed in to the organisation (404 without one).
    "course.recording_audio": SIGNED_IN,
}
NOT_BY_ROLE = {"auth.signout", "main.mailbox", "main.prometheus_metrics", "static"}
OURS, THEIRS = "Aardvark", "Bumblebee"  # in every name of each organisation's rows


def test_every_route_has_a_declared_audience(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - ACCESS.keys() == set(), "declare who may use these routes"
    assert ACCESS.keys() - endpoints == set(), "these routes are gone: remove them here"


def _organisation(word, make_org, make_user, make_cohort, enroll):
    org = make_org(name=f"{word} Holdings")
    people = {role: make_user(role, org=org, name=f"{word} {role}",
                              email=f"{role}@{word.lower()}.example.com")
              for role in (ADMIN, FACILITATOR, PARTICIPANT)}
    cohort = make_cohort(org=org, name=f"{word} Spring", start=dt.date.today()
                         - dt.timedelta(days=8), facilitators=[people[FACILITATOR]])
    enrollment = enroll(people[PARTICIPANT], cohort)
    for n in range(5):
        enroll(make_user(PARTICIPANT, org=org, name=f"{word} person {n}"), cohort)
    entry = journal.write(people[PARTICIPANT], f"{word} private thoughts", dt.date.today())
    db.session.add(PracticeLog(org_id=org.id, enrollment_id=enrollment.id,
                               cohort_id=enrollment.cohort_id,
                               day=dt.date.today(), practice="other", minutes=10,
                               note=f"{word} practice note"))
    announcement = Announcement(org_id=org.id, cohort_id=cohort.id, subject=f"{word} news",
                                body=f"{word} body", author_id=people[ADMIN].id)
    db.session.add(announcement)
    db.session.commit()
    ids = {"cohort_id": cohort.id, "enrollment_id": enrollment.id,
           "user_id": people[PARTICIPANT].id, "entry_id": getattr(entry, "id", 1),
           "announcement_id": announcement.id, "week": 1}
    return people, ids


def _requests(app, ids):
    for rule in app.url_map.iter_rules():
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif isinstance(converter, IntegerConverter):
                values[name] = ids.get(name, 1)
            else:
                values[name] = "app.css" if rule.endpoint == "static" else "x"
        url = rule.build(values)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


def _refused(response, signed_in: bool) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and response.location.startswith("/signin") and (
        not signed_in or response.location == "/signin")


@pytest.fixture
def two_organisations(make_org, make_user, make_cohort, enroll):
    ours = _organisation(OURS, make_org, make_user, make_cohort, enroll)
    theirs = _organisation(THEIRS, make_org, make_user, make_cohort, enroll)
    return ours, theirs


@pytest.mark.parametrize("who", [None, PARTICIPANT, FACILITATOR, ADMIN])
def test_each_role_gets_its_own_routes_and_is_refused_the_rest(
        app, login, two_organisations, who):
    (people, ids), _ = two_organisations
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    if who:
        login(client, people[who])
    for endpoint, method, url in _requests(app, ids):
        allowed = ACCESS[endpoint] == ANYONE or who in ACCESS[endpoint]
        if allowed and method == "POST":
            continue  # doing it is the area's own tests' job; here: who may, who may not
        response = client.open(url, method=method, data={})
        body = response.get_data(as_text=True)
        where = (who, method, url, response.status_code)
        assert response.status_code < 500 and "Traceback" not in body, where
        assert THEIRS not in body, where  # nothing of another organisation, ever
        if not allowed:
            assert _refused(response, signed_in=who is not None), where
        elif endpoint not in NOT_BY_ROLE and method == "GET":
            assert response.status_code != 403, where
            assert not (response.status_code == 302
                        and response.location.startswith("/signin?")), where


def test_another_organisations_admin_gets_nothing_of_ours(app, login, two_organisations):
    (_, ids), (their_people, _) = two_organisations
    client = login(app.test_client(), their_people[ADMIN])
    before = _our_rows()
    reached = 0
    for endpoint, method, url in _requests(app, ids):
        if endpoint == "auth.signout" or method == "POST" and ACCESS[endpoint] != ANYONE \
                and ADMIN not in ACCESS[endpoint]:
            continue
        response = client.open(url, method=method, data={})
        body = response.get_data(as_text=True)
        where = (method, url, response.status_code)
        assert response.status_code < 500, where
        assert OURS not in body, where
        reached += response.status_code == 200
        if ACCESS[endpoint] != ANYONE and set(_ids_in(url)) & set(ids.values()) - {1}:
            assert response.status_code in (302, 400, 403, 404), where
            if response.status_code == 302:
                assert OURS not in response.location, where
    assert reached > 10  # their own pages answered: the admin was really signed in
    assert _our_rows() == before  # and none of their posts changed anything of ours


def _our_rows() -> dict:
    from sqlalchemy import text
    db.session.expire_all()
    with db.engine.connect() as conn:
        return {table: sorted(map(repr, conn.execute(text(f"SELECT * FROM {table}"))))
                for table in ("organizations", "users", "cohorts", "enrollments",
                              "announcements", "journal_entries", "practice_logs",
                              "outbox_messages", "org_modules")}


def _ids_in(url: str) -> list[int]:
    return [int(part) for part in url.split("?")[0].split("/") if part.isdigit()]
