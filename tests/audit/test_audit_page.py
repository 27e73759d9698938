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
