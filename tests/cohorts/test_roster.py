"""HR finds people on a roster of hundreds and takes it away as a spreadsheet: names,
addresses, status, joined on; never progress or answers, and no cell a spreadsheet runs."""
import csv
import datetime as dt
import io

from wellbeing.auth.models import FACILITATOR
from wellbeing.cohorts.models import INVITED, WITHDRAWN, Enrollment
from wellbeing.extensions import db


def _people(make_user, enroll, cohort, org):
    ada = enroll(make_user(org=org, name="Ada Lovelace", email="ada@example.com"), cohort)
    db.session.get(Enrollment, ada.id).joined_at = dt.datetime(2026, 3, 3, 23, 30,
                                                               tzinfo=dt.UTC)
    enroll(make_user(org=org, name="=HYPERLINK(\"http://x\")", email="eve@example.com"),
           cohort, status=INVITED)
    enroll(make_user(org=org, name="Bo Left", email="bo@example.com"), cohort,
           status=WITHDRAWN)
    db.session.commit()


def test_hr_downloads_the_roster_without_progress_and_safe_from_formulas(
        client, login, admin, make_user, make_cohort, enroll, org):
    cohort = make_cohort(org=org, name="Spring", tz="Europe/Berlin")
    _people(make_user, enroll, cohort, org)
    login(client, admin)
    response = client.get(f"/cohorts/{cohort.id}/roster.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Name", "Email", "Status", "Joined on"]
    body = {row[0]: row[1:] for row in rows[1:]}
    # Joined at 23:30 UTC is already 4 March in Berlin, the cohort's zone.
    assert body["Ada Lovelace"] == ["ada@example.com", "Joined", "2026-03-04"]
    assert body["'=HYPERLINK(\"http://x\")"] == ["eve@example.com", "Invited", ""]
    assert body["Bo Left"][1] == "Withdrawn"
    assert all(len(row) == 4 for row in rows)


def test_facilitators_cannot_download_addresses(client, login, make_user, make_cohort, enroll,
                                                org):
    facilitator = make_user(FACILITATOR, org=org)
    cohort = make_cohort(org=org, facilitators=[facilitator])
    login(client, facilitator)
    assert client.get(f"/cohorts/{cohort.id}/roster.csv").status_code == 403
    assert "Download the roster" not in client.get(f"/cohorts/{cohort.id}").get_data(
        as_text=True)


def test_hr_searches_and_filters_the_roster(client, login, admin, make_user, make_cohort,
                                            enroll, org):
    cohort = make_cohort(org=org)
    _people(make_user, enroll, cohort, org)
    login(client, admin)
    found = client.get(f"/cohorts/{cohort.id}?q=LOVE").get_data(as_text=True)
    assert "Ada Lovelace" in found and "Bo Left" not in found
    assert "1 of 3 people shown" in found and 'value="LOVE"' in found
    by_mail = client.get(f"/cohorts/{cohort.id}?q=bo@").get_data(as_text=True)
    assert "Bo Left" in by_mail and "Ada Lovelace" not in by_mail
    withdrawn = client.get(f"/cohorts/{cohort.id}?status=withdrawn").get_data(as_text=True)
    assert "Bo Left" in withdrawn and "Ada Lovelace" not in withdrawn
    nobody = client.get(f"/cohorts/{cohort.id}?q=zzz%25").get_data(as_text=True)
    assert "Nobody matches" in nobody and "Ada Lovelace" not in nobody


def test_a_facilitator_cannot_search_by_address(client, login, make_user, make_cohort, enroll,
                                               org):
    facilitator = make_user(FACILITATOR, org=org)
    cohort = make_cohort(org=org, facilitators=[facilitator])
    _people(make_user, enroll, cohort, org)
    login(client, facilitator)
    page = client.get(f"/cohorts/{cohort.id}?q=ada@example").get_data(as_text=True)
    assert "Ada Lovelace" not in page.split("Roster")[1]
