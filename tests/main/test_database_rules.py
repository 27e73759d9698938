"""The embedded SQLite database keeps PostgreSQL's rules (these run on both): a row
cannot point at a missing row, a delete cascades where the schema says so, and a
migration that rebuilds a table keeps the rows that point at it."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from wellbeing.auth.models import User
from wellbeing.cohorts.models import Enrollment
from wellbeing.extensions import db
from wellbeing.orgs.models import Organization


def test_a_row_cannot_point_at_a_missing_row(org, participant):
    db.session.add(Enrollment(org_id=org.id, cohort_id=987654, user_id=participant.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0


def test_deleting_a_person_removes_their_enrollments(make_cohort, enroll, participant, org):
    enroll(participant, make_cohort(org=org))
    db.session.execute(delete(User).where(User.id == participant.id))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0


def test_a_migration_that_rebuilds_a_table_keeps_the_rows_pointing_at_it(
        make_cohort, enroll, participant, org):
    enroll(participant, make_cohort(org=org))
    person = participant.id
    db.session.remove()
    downgrade(revision="0004")  # drops a users column: SQLite rebuilds the users table
    upgrade()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    assert db.session.get(User, person).email == "pat@acme.example.com"


def test_upgrading_a_database_with_people_never_reuses_an_id_deleted_before(
        make_cohort, make_user, enroll, participant, org):
    """Migration 0007 on a database in use: rows kept, and on SQLite the next person's id
    skips far past today's largest, which may belong to someone deleted earlier."""
    enroll(participant, make_cohort(org=org))
    largest, org_id = participant.id, org.id
    db.session.remove()
    downgrade(revision="0006")
    upgrade()
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
    newcomer = make_user(org=db.session.get(Organization, org_id))
    if db.engine.dialect.name == "sqlite":
        assert newcomer.id == largest + 100_001
    else:  # PostgreSQL's sequences never went back
        assert newcomer.id == largest + 1
