import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound

from wellbeing.auth.models import ADMIN
from wellbeing.cohorts.models import Cohort
from wellbeing.core.tenancy import org_get_or_404, org_select
from wellbeing.extensions import db


@pytest.fixture
def two_orgs(make_org, make_user, make_cohort):
    a, b = make_org(name="Org A"), make_org(name="Org B")
    return {"admin_a": make_user(ADMIN, org=a), "cohort_a": make_cohort(org=a, name="A1"),
            "cohort_b": make_cohort(org=b, name="B1")}


def test_another_orgs_object_is_not_found(app, two_orgs):
    with app.test_request_context():
        login_user(two_orgs["admin_a"])
        assert org_get_or_404(Cohort, two_orgs["cohort_a"].id) == two_orgs["cohort_a"]
        with pytest.raises(NotFound):
            org_get_or_404(Cohort, two_orgs["cohort_b"].id)
        with pytest.raises(NotFound):
            org_get_or_404(Cohort, "1")  # ids from URLs arrive typed; anything else is 404


def test_org_select_only_returns_the_signed_in_users_org(app, two_orgs):
    with app.test_request_context():
        login_user(two_orgs["admin_a"])
        names = db.session.scalars(org_select(Cohort)).all()
        assert [c.name for c in names] == ["A1"]
