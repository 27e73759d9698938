"""HR's organisation dashboard and the CSV exports: pooled only over cohorts that may be
shown on their own, so no cohort can be worked out by subtraction."""
import csv
import datetime as dt
import io

import time_machine

from tests.outcomes.helpers import AFTER_CLOSE, seeded_cohort
from tests.outcomes.test_cohort_dashboard import EIGHT
from tests.surveys.helpers import START, table_rows, visible_text
from wellbeing.auth.models import ADMIN, FACILITATOR
from wellbeing.outcomes import statistics as st

LATER = START + dt.timedelta(weeks=10)


def _get(client, path, when=AFTER_CLOSE + dt.timedelta(weeks=10)):
    with time_machine.travel(when):
        response = client.get(path)
    return response


def test_two_cohorts_whose_union_is_known_the_small_one_is_left_out_entirely(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    big, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:6], name="Big")
    small, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[6:], name="Small",
                             start=LATER)
    login(client, admin)
    html = _get(client, "/outcomes/organisation?instrument=PSS-10").get_data(as_text=True)
    # The organisation's totals are Big's alone: 6 people, Big's averages.
    pss = st.paired_change([(a, b) for a, b, _, _ in EIGHT[:6]])
    rows = table_rows(html)
    assert ["Answered both", "6"] in rows
    assert ["Average before (SD)", f"{pss.mean_pre:.1f} ({pss.sd_pre:.1f})"] in rows
    text = visible_text(html)
    assert "1 cohort left out of the totals: fewer than 5 people" in text
    small_row = next(r for r in rows if r and r[0] == "Small")
    assert "Hidden" in small_row[2] and "fewer than 5 people" in " ".join(small_row)
    # Nothing on the page is the eight people's pooled figure.
    eight = st.paired_change([(a, b) for a, b, _, _ in EIGHT])
    assert f"{eight.mean_pre:.1f} ({eight.sd_pre:.1f})" not in html


def test_two_filters_that_differ_by_one_person_show_nothing_of_that_person(
        client, login, make_user, make_cohort, enroll, org):
    """Filters by questionnaire: a cohort that answered one questionnaire with 4 people
    joins neither total, so comparing the two filters says nothing about it."""
    from wellbeing.extensions import db
    from wellbeing.surveys.models import CohortSurveyPlan
    admin = make_user(ADMIN, org=org)
    seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:5], name="Five")
    four, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[5:], name="Four",
                            start=LATER)
    db.session.add(CohortSurveyPlan(cohort_id=four.id, org_id=org.id,
                                    instruments="SCS-SF,PSS-10"))
    db.session.commit()
    login(client, admin)
    for code in ("PSS-10", "SCS-SF"):
        rows = table_rows(_get(client, f"/outcomes/organisation?instrument={code}")
                          .get_data(as_text=True))
        assert ["Answered both", "5"] in rows


def test_facilitators_have_no_organisation_dashboard(client, login, make_user, org):
    login(client, make_user(FACILITATOR, org=org))
    assert _get(client, "/outcomes/organisation").status_code == 403
    assert _get(client, "/outcomes/organisation/outcomes.csv").status_code == 403


def test_the_csv_holds_what_the_page_shows_hidden_cells_hidden_and_no_formula(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:5],
                              pre_only=[(21, 30)], name="=HYPERLINK(\"http://x\")")
    login(client, admin)
    response = _get(client, f"/outcomes/cohorts/{cohort.id}/outcomes.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "group", "questionnaire", "scale", "measure", "value",
                       "note"]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert rows[1][1].startswith("'=HYPERLINK")
    counts = {(r[2], r[4]): r[5:] for r in rows if r[0] == "counts"}
    # Rounded, as on the page ("about 5"): a number in the value column, the note says so.
    value, note = counts["PSS-10", "answered before"]
    assert value == "5" and note.startswith("Rounded to the nearest 5")
    assert counts["PSS-10", "answered both"][0] == "5"
    assert "6" not in {r[5] for r in rows if r[0] in ("counts", "engagement")}
    page = _get(client, f"/outcomes/cohorts/{cohort.id}").get_data(as_text=True)
    shown = {r[1] for r in table_rows(page) if len(r) == 2}
    # The page says "Hidden" where the CSV says why: fewer than the minimum.
    hidden = ("fewer than 5", "fewer than 5, or everyone")
    engagement = {r[5] if r[5] in hidden else f"about {r[5]}"
                  for r in rows if r[0] == "engagement"}
    assert engagement <= shown | set(hidden) and "Hidden" in shown


def test_the_printable_page_has_the_numbers_and_no_scripts(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    cohort, _ = seeded_cohort(make_user, make_cohort, enroll, org, EIGHT)
    login(client, admin)
    html = _get(client, f"/outcomes/cohorts/{cohort.id}/print").get_data(as_text=True)
    assert ["Answered both", "8"] in table_rows(html) and "plotly" not in html
    assert "the average went from" in html and "Download" not in html  # words, not links
    assert '<details class="subscales" open>' in html  # the parts are printed, not folded
    screen = _get(client, f"/outcomes/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<details class="subscales">' in screen  # folded on screen


def test_the_org_csv_has_the_comparison_as_the_page_shows_it(
        client, login, make_user, make_cohort, enroll, org):
    admin = make_user(ADMIN, org=org)
    seeded_cohort(make_user, make_cohort, enroll, org, EIGHT[:6], name="Big")
    login(client, admin)
    text = _get(client, "/outcomes/organisation/outcomes.csv?instrument=PSS-10").get_data(
        as_text=True)
    rows = list(csv.reader(io.StringIO(text)))[1:]
    pooled = [r for r in rows if r[1] == "All cohorts shown"]
    big = [r for r in rows if r[1] == "Big"]
    assert {r[4] for r in pooled} >= {"answered before", "sd before", "d_z"}
    # The comparison row: answered both, averages, change with its interval, g_av.
    assert [r[4] for r in big] == ["answered both", "mean before", "mean after",
                                   "mean change (after - before)", "95% CI low",
                                   "95% CI high", "g_av (d_av, Hedges-corrected)"]
    pss = st.paired_change([(a, b) for a, b, _, _ in EIGHT[:6]])
    assert float(big[3][5]) == round(pss.difference, 6)


def test_reliable_change_of_all_cohorts_never_gives_away_a_cohorts_hidden_counts(
        client, login, make_user, make_cohort, enroll, org):
    """A cohort that hides its own reliable-change counts is not in the organisation's:
    there, its count would be the organisation's minus the other cohorts' shown ones."""
    admin = make_user(ADMIN, org=org)
    # Fifteen people: five improved, five did not reliably change, five worsened.
    even = [(30, 15, 36, 36)] * 5 + [(20, 20, 36, 36)] * 5 + [(10, 25, 36, 36)] * 5
    seeded_cohort(make_user, make_cohort, enroll, org, even, name="Even")
    # Six people: one improved; its page hides that count (and another beside it).
    seeded_cohort(make_user, make_cohort, enroll, org,
                  [(30, 15, 36, 36)] + [(20, 20, 36, 36)] * 5, name="Lopsided",
                  start=START + dt.timedelta(weeks=1))
    login(client, admin)
    page = _get(client, "/outcomes/organisation?instrument=PSS-10").get_data(as_text=True)
    improved = [r for r in table_rows(page) if r and r[0] == "Improved"]
    assert improved and improved[0][1] == "5"  # Even's own five, not six
    assert "Counted over the 1 of 2 cohorts whose own pages show all three numbers " \
           "(15 people)" in visible_text(page)
