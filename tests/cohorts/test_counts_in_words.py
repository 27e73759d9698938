"""Counts on the CSV import pages and in the audit log read as English: one person, both
people, 1 invitation."""
import datetime as dt

from tests.surveys.helpers import visible_text as visible
from wellbeing.cohorts.models import INVITED

from .helpers import preview_url, upload

ONE = "email,name\nana@acme.example.com,Ana Silva\n"
TWO = ONE + "bo@acme.example.com,Bo Berg\n"
THREE = TWO + "cy@acme.example.com,Cy Young\n"


def test_import_pages_count_one_two_and_more_in_words(client, login, admin, make_cohort, org):
    login(client, admin)
    cohort = make_cohort(org=org, name="Spring", start=dt.date(2030, 3, 4))
    said = {text: visible(client.get(preview_url(upload(client, cohort, text)))
                          .get_data(as_text=True)) for text in (TWO, THREE)}
    assert "Both people will be enrolled in Spring and each gets" in said[TWO]
    assert "All 3 people will be enrolled in Spring" in said[THREE]
    url = preview_url(upload(client, cohort, ONE))
    assert "This person will be enrolled in Spring and gets an invitation email." in \
        visible(client.get(url).get_data(as_text=True))
    done = visible(client.post(url, follow_redirects=True).get_data(as_text=True))
    assert "1 person enrolled from people.csv; their invitation is on its way." in done
    log = visible(client.get("/audit/").get_data(as_text=True))
    assert "Imported 1 person from people.csv into “Spring” (1 new account, 1 invitation " \
        "queued)" in log


def test_a_full_one_place_cohort_and_a_one_person_publish_read_in_the_singular(
        client, login, admin, make_cohort, make_user, enroll, org):
    login(client, admin)
    draft = make_cohort(org=org, name="Next intake", start=dt.date(2030, 3, 4), capacity=1)
    draft.published_at = None
    enroll(make_user(org=org), draft, status=INVITED)
    problem = visible(client.get(preview_url(upload(client, draft, ONE))).get_data(as_text=True))
    assert "over capacity: the cohort has 1 place and it is taken" in problem
    assert "The cohort has 1 place, 1 is taken, and this file would add 1 person: 1 does not " \
        "fit." in problem
    client.post(f"/cohorts/{draft.id}/publish")
    log = visible(client.get("/audit/").get_data(as_text=True))
    assert "Published cohort “Next intake”; 1 invitation queued" in log
