"""Factory fixtures: each returns a callable that makes one object with sensible defaults."""
import datetime as dt
import itertools

import pytest

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT, User
from wellbeing.cohorts.models import ACTIVE, Cohort, Enrollment
from wellbeing.extensions import db
from wellbeing.orgs.models import Organization

_counter = itertools.count(1)

__all__ = ["make_org", "make_user", "make_cohort", "enroll", "login", "org", "admin",
           "facilitator", "participant"]


@pytest.fixture
def make_org():
    def make(name=None, **fields):
        org = Organization(name=name or f"Org {next(_counter)}", **fields)
        db.session.add(org)
        db.session.commit()
        return org
    return make


@pytest.fixture
def make_user(make_org):
    def make(role=PARTICIPANT, org=None, email=None, name=None, password=None, **fields):
        from wellbeing.auth.passwords import hash_password
        org = org or make_org()
        n = next(_counter)
        fields.setdefault("accepted_at", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        user = User(org_id=org.id, role=role, email=email or f"person{n}@example.com",
                    name=name or f"Person {n}",
                    password_hash=hash_password(password) if password else None, **fields)
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_cohort(make_org):
    def make(org=None, start=None, tz="Europe/London", release=dt.time(9, 0), weeks=8,
             facilitators=(), **fields):
        org = org or make_org()
        cohort = Cohort(org_id=org.id, name=fields.pop("name", f"Cohort {next(_counter)}"),
                        start_date=start or dt.date(2026, 3, 2), timezone=tz,
                        release_time=release, weeks=weeks, **fields)
        cohort.facilitators.extend(facilitators)
        db.session.add(cohort)
        db.session.commit()
        return cohort
    return make


@pytest.fixture
def enroll():
    def make(user, cohort, status=ACTIVE):
        enrollment = Enrollment(org_id=cohort.org_id, cohort_id=cohort.id, user_id=user.id,
                                status=status)
        db.session.add(enrollment)
        db.session.commit()
        return enrollment
    return make


@pytest.fixture
def org(make_org):
    return make_org(name="Acme Care")


@pytest.fixture
def admin(make_user, org):
    return make_user(ADMIN, org=org, name="Hana Admin", email="hr@acme.example.com")


@pytest.fixture
def facilitator(make_user, org):
    return make_user(FACILITATOR, org=org, name="Femi Facilitator",
                     email="femi@acme.example.com")


@pytest.fixture
def participant(make_user, org):
    return make_user(PARTICIPANT, org=org, name="Pat Participant", email="pat@acme.example.com")


@pytest.fixture
def login():
    """Sign `user` in on `client` through the real emailed-link flow."""
    def sign_in(client, user):
        from wellbeing.auth.service import issue_link
        token = issue_link(user)
        db.session.commit()
        response = client.post(f"/signin/link/{token}")
        assert response.status_code == 302, response.data[:500]
        return client
    return sign_in
