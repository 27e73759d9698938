"""The audit log: org admins see who changed what in their organisation, nothing more."""
from wellbeing.auth.models import ADMIN


def test_audit_log_lists_changes_for_this_org_only(client, login, admin, make_cohort, make_user,
                                                   org):
    cohort = make_cohort(org=org, name="Ours")
    stranger = make_user(ADMIN)
    login(client, stranger)
    theirs = make_cohort(org=stranger.org, name="Theirs")
    client.post(f"/cohorts/{theirs.id}/archive", follow_redirects=True)
    client.post("/signout")
    login(client, admin)
    client.post(f"/cohorts/{cohort.id}/archive")
    page = client.get("/audit/").get_data(as_text=True)
    assert '<span title="cohort.archived">Cohort archived</span>' in page
    assert "Archived cohort “Ours”" in page
    assert "Theirs" not in page and "Hana Admin" in page
    assert "Archived cohort" in client.get("/audit/?area=cohort").get_data(as_text=True)
    assert "Archived cohort" not in client.get("/audit/?area=enrollment").get_data(as_text=True)


def test_audit_log_pages_and_names_people_without_storing_them(client, login, admin, org,
                                                              make_cohort, make_user, enroll):
    from wellbeing.audit.service import record
    from wellbeing.extensions import db
    cohort = make_cohort(org=org, name="Spring")
    enrollment = enroll(make_user(org=org, name="Rae Reader"), cohort)
    record(org.id, admin.id, "enrollment.created", enrollment, "Enrolled")
    for n in range(120):
        record(org.id, admin.id, "cohort.updated", cohort, f"Change {n}")
    db.session.commit()
    login(client, admin)
    first = client.get("/audit/").get_data(as_text=True)
    assert "Change 119" in first and "Page 1 of 2" in first and "Change 0<" not in first
    second = client.get("/audit/?page=2").get_data(as_text=True)
    assert "Rae Reader in “Spring”" in second  # looked up now, not kept in the log


def test_every_recorded_action_has_a_plain_name():
    """An action the code records but the page cannot name would show as a raw code."""
    import re
    from pathlib import Path

    from wellbeing.audit.views import ACTION_LABELS
    root = Path(__file__).resolve().parents[2] / "wellbeing"
    recorded = {m.group(1) for path in root.rglob("*.py")
                for m in re.finditer(r'record\([^"]*?"([a-z_]+\.[a-z_]+)"',
                                     path.read_text(), re.S)}
    assert len(recorded) >= 15
    assert recorded <= set(ACTION_LABELS), recorded - set(ACTION_LABELS)


def test_events_about_people_keep_only_their_day_and_the_page_shows_only_the_date(
        client, login, admin, org, make_cohort, make_user, enroll):
    """A time of day on 'Person joined' or 'Account deleted' would line up with whatever
    else the person did at that moment; staff actions keep their time."""
    import datetime as dt

    import time_machine
    from sqlalchemy import select

    from tests.surveys.helpers import table_rows
    from wellbeing.account.service import delete_account
    from wellbeing.audit.models import AuditEvent
    from wellbeing.audit.service import record
    from wellbeing.cohorts.enrollment import join
    from wellbeing.cohorts.models import INVITED
    from wellbeing.extensions import db
    moment = dt.datetime(2026, 3, 4, 14, 23, 45, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        cohort = make_cohort(org=org, name="Spring")
        enrollment = enroll(make_user(org=org, name="Rae Reader"), cohort, status=INVITED)
        assert join(enrollment, moment)
        record(org.id, admin.id, "cohort.updated", cohort, "Renamed")
        db.session.commit()
        delete_account(make_user(org=org, name="Lee Leaving"), delete_answers=False)
    stored = dict(db.session.execute(select(AuditEvent.action, AuditEvent.created_at)).all())
    day = dt.datetime(2026, 3, 4, tzinfo=dt.UTC)
    assert stored == {"enrollment.joined": day, "account.deleted": day,
                      "cohort.updated": moment}
    login(client, admin)
    rows = {row[2].split(" ", 2)[0] + " " + row[2].split(" ", 2)[1]: row[0]
            for row in table_rows(client.get("/audit/").get_data(as_text=True))[1:]
            if len(row) == 4}  # not the day's heading
    assert rows == {"Person joined": "04 Mar 2026, time not kept",
                    "Account deleted": "04 Mar 2026, time not kept",
                    "Cohort changed": "04 Mar 2026, 14:23 London"}
