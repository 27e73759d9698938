"""Migration 0025 on a database in use: weeks, practice and mail written before it get the
cohort their enrollment is in; mail about no enrollment (a sign-in link) gets none."""
import datetime as dt

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from wellbeing.course.models import ModuleOpened, ModuleProgress, PracticeLog
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

DAY = dt.date(2026, 3, 3)


def _mail(key, org_id, user_id, enrollment_id=None):
    # Only the columns revision 0024 has; the model's defaults fill status and times.
    return {"org_id": org_id, "dedupe_key": key, "kind": key.split(":")[0],
            "user_id": user_id, "enrollment_id": enrollment_id, "to_email": "x@example.com",
            "subject": "s", "body_text": "b"}


def test_upgrading_gives_each_row_its_enrollments_cohort(make_cohort, make_user, enroll, org):
    spring, summer = make_cohort(org=org), make_cohort(org=org)
    pat, lee = make_user(org=org), make_user(org=org)
    pats, lees = enroll(pat, spring), enroll(lee, summer)
    ids = {"org": org.id, "pat": pat.id, "pats": pats.id, "lees": lees.id,
           "spring": spring.id, "summer": summer.id}
    db.session.remove()
    downgrade(revision="0024")
    try:
        for enrollment in (ids["pats"], ids["lees"]):
            record = {"org_id": ids["org"], "enrollment_id": enrollment, "week": 1}
            db.session.execute(sa.insert(ModuleProgress.__table__), [
                {**record, "completed_on": DAY}])
            db.session.execute(sa.insert(ModuleOpened.__table__), [{**record, "opened_on": DAY}])
            db.session.execute(sa.insert(PracticeLog.__table__), [{
                "org_id": ids["org"], "enrollment_id": enrollment, "day": DAY,
                "practice": "other", "minutes": 10}])
        db.session.execute(sa.insert(OutboxMessage.__table__), [
            _mail(f"week-opened:{ids['pats']}:1", ids["org"], ids["pat"], ids["pats"]),
            _mail("sign-in:abc", ids["org"], ids["pat"])])
        db.session.commit()
        db.session.remove()
    finally:
        upgrade()
    for model in (ModuleProgress, ModuleOpened, PracticeLog):
        assert dict(db.session.execute(select(model.enrollment_id, model.cohort_id)).all()) \
            == {ids["pats"]: ids["spring"], ids["lees"]: ids["summer"]}
    assert dict(db.session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.cohort_id))
                .all()) == {f"week-opened:{ids['pats']}:1": ids["spring"], "sign-in:abc": None}
