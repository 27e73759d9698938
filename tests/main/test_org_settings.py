from sqlalchemy import select

from wellbeing.audit.models import AuditEvent
from wellbeing.extensions import db


def _form(**changes):
    data = {"name": "Acme Care", "timezone": "Europe/Berlin", "min_group_size": "5",
            "crisis_resources": "Call the Acme EAP on 0800 000 000."}
    data.update(changes)
    return data


def test_admin_edits_crisis_resources_shown_in_every_footer(client, admin, login):
    login(client, admin)
    response = client.post("/org/settings", data=_form())
    assert response.status_code == 302
    assert (b'Call the Acme EAP on <a href="tel:0800000000">0800 000 000</a>.'
            in client.get("/home", follow_redirects=True).data)
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "org.settings_changed"
    assert "support and crisis resources" in event.summary


def test_minimum_group_size_cannot_go_below_three(client, admin, login):
    login(client, admin)
    response = client.post("/org/settings", data=_form(min_group_size="2"))
    assert response.status_code == 400
    assert b"Enter a number from 3 to 50." in response.data
    assert b'value="2"' in response.data
    db.session.refresh(admin.org)
    assert admin.org.min_group_size == 5


def test_unknown_time_zone_is_refused(client, admin, login):
    login(client, admin)
    response = client.post("/org/settings", data=_form(timezone="Mars/Olympus"))
    assert b"Choose a time zone from the list." in response.data


def test_only_org_admins_reach_settings(client, facilitator, participant, login, app):
    login(client, facilitator)
    assert client.get("/org/settings").status_code == 403
    other = app.test_client()
    login(other, participant)
    assert other.get("/org/settings").status_code == 403
    assert app.test_client().get("/org/settings").status_code == 302


def test_settings_changes_read_plainly_in_the_audit_log(client, admin, login):
    login(client, admin)
    client.post("/org/settings", data=_form())
    page = client.get("/audit/").get_data(as_text=True)
    assert "Organisation settings" in page and "(deleted)" not in page
