"""Migration 0010 on a database in use: outbox rows written before it learn their
enrollment from the old key pattern, by the rule the old lookup used (the number after
the first colon, if it is an enrollment of the message's recipient), and nothing else."""
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage


def _old_row(key, user_id, org_id):
    # Only the columns revision 0009 has; the model's defaults fill status and times.
    return {"org_id": org_id, "dedupe_key": key, "kind": key.split(":")[0],
            "user_id": user_id, "to_email": "x@example.com", "subject": "s",
            "body_text": "b"}


def test_upgrading_fills_enrollment_ids_from_the_old_keys(make_cohort, make_user, enroll,
                                                          org):
    pat, lee = make_user(org=org), make_user(org=org)
    cohort, other = make_cohort(org=org), make_cohort(org=org)
    pats, lees = enroll(pat, cohort), enroll(lee, cohort)
    pats_second = enroll(pat, other)
    expected = {
        f"invitation:{pats.id}": pats.id,
        f"invitation:{pats.id}:again:1767225600": pats.id,
        f"moved:{pats_second.id}:{other.id}:1767225600": pats_second.id,
        f"week-opened:{lees.id}:3": lees.id,
        # Not about an enrollment of the recipient: stays NULL, as the old lookup saw it.
        f"invitation:{lees.id}:pat": None,  # Lee's enrollment id on a message to Pat
        f"sign-in:{pats.id}x": None,
        "invitation:test:failed": None,
        f"invitation:{pats.id}0": None,
    }
    recipient = {key: (lee.id if key.startswith("week-opened") else pat.id)
                 for key in expected}
    gone, org_id = f"moved:{pats.id}:gone", org.id
    db.session.remove()
    downgrade(revision="0009")
    try:
        db.session.execute(sa.insert(OutboxMessage.__table__), [
            _old_row(key, recipient[key], org_id) for key in expected])
        db.session.execute(sa.insert(OutboxMessage.__table__), [_old_row(gone, None, org_id)])
        db.session.commit()
        db.session.remove()
    finally:
        upgrade()
    expected[gone] = None  # no recipient left (their account was deleted)
    found = dict(db.session.execute(select(OutboxMessage.dedupe_key,
                                           OutboxMessage.enrollment_id)).all())
    assert found == expected
    assert set(db.session.scalars(select(OutboxMessage.week))) == {None}
