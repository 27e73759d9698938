"""The demo organisation has finished cohorts large enough for every outcome chart, and a
small one where the dashboard shows suppression."""
import re

from sqlalchemy import select

from tests.surveys.helpers import table_rows
from wellbeing.auth.models import User
from wellbeing.cli.demo import ADMIN_EMAIL, ensure_demo
from wellbeing.cohorts.models import Cohort
from wellbeing.extensions import db


def test_demo_outcomes_are_meaningful_and_one_cohort_shows_suppression(client, login):
    assert ensure_demo() is True
    login(client, db.session.scalar(select(User).filter_by(email=ADMIN_EMAIL)))
    cohorts = {c.name: c for c in db.session.scalars(select(Cohort))}
    for name in ("Spring cohort", "Summer cohort"):
        html = client.get(f"/outcomes/cohorts/{cohorts[name].id}").get_data(as_text=True)
        both = [r[1] for r in table_rows(html) if r and r[0] == "Answered both"]
        assert both and all(int(n) >= 20 for n in both), (name, both)
        assert len(re.findall(r'data-plotly="', html)) >= 6  # two per questionnaire, more
        assert "Hidden" not in [r[1] for r in table_rows(html)
                                if r and r[0].startswith("Average")]
    small = client.get(f"/outcomes/cohorts/{cohorts['Small team pilot'].id}")
    html = small.get_data(as_text=True)
    assert "Rounded to the nearest 5" in html and "Hidden" in html
    org = client.get("/outcomes/organisation").get_data(as_text=True)
    # Pooled over the three finished cohorts (the pilot's five reach the minimum).
    assert ["Answered both", str(36 + 29 + 5)] in table_rows(org)
    assert "Spring cohort" in org and "Summer cohort" in org
