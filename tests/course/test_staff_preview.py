"""Staff read the course as participants see it, with the organisation's own text,
without being enrolled; nothing about anyone is recorded and no participant button shows."""
from sqlalchemy import func, select

from wellbeing.auth.models import FACILITATOR
from wellbeing.course.models import ModuleOpened, OrgModule
from wellbeing.extensions import db


def test_staff_preview_every_week_with_the_orgs_own_text(client, login, admin, make_user,
                                                          org):
    db.session.add(OrgModule(org_id=org.id, week=2, intention="Our own words for week two."))
    db.session.commit()
    login(client, admin)
    page = client.get("/course/modules/2/preview").get_data(as_text=True)
    assert "Our own words for week two." in page  # the organisation's edit shows
    assert "as participants see it" in page and "The steps" in page
    assert "/course/weeks/2/complete" not in page and "Mark week 2 complete" not in page
    assert "Write in your private journal" not in page
    assert 'href="/course/modules/3/preview"' in page
    assert "/course/modules/2/preview" in client.get("/course/modules").get_data(as_text=True)
    assert client.get("/course/modules/17/preview").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(ModuleOpened)) == 0
    client.post("/signout")
    login(client, make_user(FACILITATOR, org=org))
    assert client.get("/course/modules/1/preview").status_code == 200


def test_participants_cannot_use_the_preview(client, login, participant):
    login(client, participant)
    assert client.get("/course/modules/1/preview").status_code == 403
