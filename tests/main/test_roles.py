"""Each role reaches its own pages and is refused the others' (403), never a crash."""
import datetime as dt

import pytest

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT

ADMIN_ONLY = ["/org/settings", "/audit/", "/cohorts/new", "/course/modules",
              "/course/modules/new"]
STAFF = ["/cohorts/", "/course/cohorts"]
PARTICIPANT_ONLY = ["/course/", "/course/practice", "/course/journal"]


@pytest.fixture
def people(make_user, org):
    return {role: make_user(role, org=org) for role in (ADMIN, FACILITATOR, PARTICIPANT)}


@pytest.mark.parametrize("role, allowed, refused", [
    (ADMIN, ADMIN_ONLY + STAFF, PARTICIPANT_ONLY),
    (FACILITATOR, STAFF, ADMIN_ONLY + PARTICIPANT_ONLY),
    (PARTICIPANT, [], ADMIN_ONLY + STAFF),
])
def test_role_reaches_its_pages_and_is_refused_the_rest(client, login, people, role, allowed,
                                                        refused):
    login(client, people[role])
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in refused:
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert b"Traceback" not in response.data


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in ADMIN_ONLY + STAFF + PARTICIPANT_ONLY:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/signin"), path


def test_each_role_lands_on_its_own_start_page(client, login, people):
    expected = {ADMIN: "/cohorts/", FACILITATOR: "/cohorts/", PARTICIPANT: "/course/"}
    for role, start in expected.items():
        login(client, people[role])
        assert client.get("/home").headers["Location"] == start
        client.post("/signout")


def test_the_menu_shows_only_what_the_role_can_use(client, login, people):
    login(client, people[FACILITATOR])
    html = client.get("/cohorts/").get_data(as_text=True)
    assert "Cohorts" in html and "Audit log" not in html and "Settings" not in html


def _menu(html: str) -> str:
    return html.split('<nav class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR])
def test_staff_menu_has_no_home_that_only_leads_to_cohorts(client, login, people, role):
    login(client, people[role])
    menu = _menu(client.get("/cohorts/").get_data(as_text=True))
    assert ">Home<" not in menu and 'href="/home"' not in menu
    assert '<a href="/cohorts/" aria-current="page">Cohorts</a>' in menu


def test_participant_home_is_the_current_item_on_the_course_home(client, login, people, org,
                                                                 make_cohort, enroll):
    enroll(people[PARTICIPANT], make_cohort(org=org, start=dt.date.today()))
    login(client, people[PARTICIPANT])
    assert client.get("/home").headers["Location"] == "/course/"
    menu = _menu(client.get("/course/").get_data(as_text=True))
    assert '<a href="/home" aria-current="page">Home</a>' in menu
    assert menu.count("aria-current") == 1
    journal = _menu(client.get("/course/journal").get_data(as_text=True))
    assert 'aria-current="page">Journal<' in journal and 'aria-current="page">Home<' not in journal
    missing = client.get("/no-such-page")  # no endpoint: nothing is marked current
    assert missing.status_code == 404
    assert "aria-current" not in _menu(missing.get_data(as_text=True))
