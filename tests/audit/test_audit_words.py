"""The audit log says what happened in words and names, never raw ids."""
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from tests.surveys.helpers import visible_text
from wellbeing.audit.models import AuditEvent
from wellbeing.cohorts.enrollment import join, withdraw
from wellbeing.cohorts.models import INVITED
from wellbeing.extensions import db


def test_events_about_people_read_as_words(client, login, admin, make_user, make_cohort,
                                           enroll, org):
    cohort = make_cohort(org=org, name="Spring")
    person = make_user(org=org, name="Pat Words")
    enrollment = enroll(person, cohort, status=INVITED)
    join(enrollment, dt.datetime.now(dt.UTC))
    withdraw(enrollment, admin, dt.datetime.now(dt.UTC))
    db.session.commit()
    login(client, admin)
    page = visible_text(client.get("/audit/").get_data(as_text=True))
    assert "Joined the course" in page and "Withdrawn by staff" in page
    assert "Pat Words in “Spring”" in page
    summaries = db.session.scalars(select(AuditEvent.summary)).all()
    assert not any("user " in s.lower() or "cohort " in s.lower() for s in summaries)


def _migration(name: str):
    """A migration module, loaded from its file (migrations/ is not a package)."""
    import importlib.util
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name[:4]}", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_old_summaries_with_ids_are_rewritten_by_the_migration():
    migration = _migration("0017_audit_summaries_in_words")

    def rewrite(summary):
        for pattern, words in migration.REWRITES:
            if match := pattern.match(summary):
                return words(match)
        return summary
    assert rewrite("User 25 joined cohort 5") == "Joined the course"
    assert rewrite("User 25 moved from “A” to “B”") == "Moved from “A” to “B”"
    assert rewrite("Enrolled user 7 in cohort “Spring”") == "Enrolled in “Spring”"
    assert rewrite("User 7 withdrawn from cohort 3 by user 2; 4 pending messages cancelled") \
        == "Withdrawn by staff; 4 pending messages cancelled"
    assert rewrite("Imported 3 people") == "Imported 3 people"


def test_hr_filters_the_log_by_person_cohort_and_action(client, login, admin, make_user,
                                                        make_cohort, enroll, org):
    spring = make_cohort(org=org, name="Spring")
    autumn = make_cohort(org=org, name="Autumn")
    pat = enroll(make_user(org=org, name="Pat Words", email="pat@acme.example.com"), spring,
                 status=INVITED)
    kim = enroll(make_user(org=org, name="Kim Other"), autumn, status=INVITED)
    now = dt.datetime.now(dt.UTC)
    for enrollment in (pat, kim):
        join(enrollment, now)
    withdraw(kim, admin, now)
    db.session.commit()
    login(client, admin)

    def shown(query):
        page = visible_text(client.get("/audit/?" + query).get_data(as_text=True))
        return {name for name in ("Pat Words", "Kim Other") if name in page}, page
    assert shown("person=PAT@acme")[0] == {"Pat Words"}
    assert shown("cohort=autu")[0] == {"Kim Other"}
    names, page = shown("action=enrollment.withdrawn")
    assert names == {"Kim Other"} and "Joined the course" not in page
    names, page = shown("person=Hana%25")
    assert names == set() and "No events match" in page
    by_admin = visible_text(client.get(f"/audit/?person={admin.name}").get_data(as_text=True))
    assert "Withdrawn by staff" in by_admin  # what they did, not only what was done to them


def test_an_event_about_something_since_deleted_reads_as_words(client, login, admin, org,
                                                              make_user, make_cohort, enroll):
    import re

    from wellbeing.account.service import delete_account
    from wellbeing.cohorts.enrollment import move
    spring = make_cohort(org=org, name="Spring")
    person = make_user(org=org, name="Pat Gone")
    enrollment = enroll(person, spring, status=INVITED)
    move(enrollment, make_cohort(org=org, name="Autumn"), admin,
         dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    db.session.commit()
    delete_account(person, delete_answers=False)
    db.session.commit()
    login(client, admin)
    page = visible_text(client.get("/audit/").get_data(as_text=True))
    assert "Person moved An enrollment that was later deleted" in page
    assert "Pat Gone" not in page
    assert not re.search(r"(Enrollment|User|Cohort) \d+", page), page


def test_old_summaries_that_counted_unsent_emails_lose_the_number():
    migration = _migration("0026_audit_counts_no_one_is_behind")
    # Reminders go only to people who are behind: the count said whether this one was.
    assert migration.rewrite("Withdrawn by staff; 1 pending message cancelled") == \
        "Withdrawn by staff; no more emails"
    assert migration.rewrite("Left the course; 4 pending messages cancelled") == \
        "Left the course; no more emails"
    assert migration.rewrite(
        "Changed release time of cohort “Spring”; week 1 now opens 2026-03-02 09:01 "
        "Europe/London; 6 pending messages moved, 0 cancelled; closed again: weeks 3") == (
        "Changed release time of cohort “Spring”; week 1 now opens 2026-03-02 09:01 "
        "Europe/London; unsent emails follow the new dates; closed again: weeks 3")
    assert migration.rewrite("Imported 3 people") == "Imported 3 people"
