"""Migration 0011 on a database in use: answers and completions are kept without their
dates, events about people keep only their day, and the answers already written leave
the order they were written in."""
import datetime as dt

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from wellbeing.extensions import db


def test_upgrade_keeps_answers_and_completions_and_drops_only_their_times(
        make_cohort, enroll, participant, admin, org):
    cohort = make_cohort(org=org)
    enrollment = enroll(participant, cohort)
    ids = {"org": org.id, "cohort": cohort.id, "enrollment": enrollment.id,
           "person": participant.id, "admin": admin.id}
    moment = dt.datetime(2026, 3, 4, 14, 23, 45, tzinfo=dt.UTC)
    db.session.remove()
    sqlite = db.engine.dialect.name == "sqlite"
    downgrade(revision="0009")
    answers = [f"00000000-0000-4000-8000-{n:012d}" for n in range(20)]
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO survey_completions (org_id, enrollment_id, wave, completed_on) "
            "VALUES (:org, :enrollment, 'pre', '2026-03-04')"), ids)
        for n, answer_id in enumerate(answers):  # written in id order, one after another
            conn.execute(sa.text(
                "INSERT INTO survey_responses (id, org_id, cohort_id, wave, instrument, "
                "pairing_key, answers, scores, submitted_week) VALUES (:id, :org, :cohort, "
                "'pre', 'PSS-10', :key, '{\"1\": 2}', '{\"total\": 20}', '2026-W10')"),
                {**ids, "id": answer_id, "key": f"{n:064d}"})
        for action, actor in (("enrollment.joined", "person"), ("cohort.updated", "admin")):
            conn.execute(sa.text(
                "INSERT INTO audit_events (org_id, actor_id, action, summary, created_at) "
                "VALUES (:org, :actor, :action, '', :at)"),
                {**ids, "actor": ids[actor], "action": action,
                 "at": moment.replace(tzinfo=None) if sqlite else moment})
    upgrade(revision="0011")
    with db.engine.connect() as conn:
        completions = conn.execute(sa.text(
            "SELECT * FROM survey_completions")).mappings().all()
        stored = ("SELECT * FROM survey_responses ORDER BY ctid"
                  if db.engine.dialect.name == "postgresql"
                  else "SELECT * FROM survey_responses NOT INDEXED")
        rows = conn.execute(sa.text(stored)).mappings().all()
    assert [dict(c) for c in completions] == [
        {"id": completions[0]["id"], "org_id": org.id, "enrollment_id": enrollment.id,
         "wave": "pre"}]
    assert sorted(r["id"] for r in rows) == answers
    assert all("submitted_week" not in r and r["pairing_key"].isdigit() for r in rows)
    if db.engine.dialect.name == "postgresql":
        # Rewritten in random order: no longer the order they were written in.
        assert [r["id"] for r in rows] != answers
    upgrade()
    from wellbeing.audit.models import AuditEvent
    times = dict(db.session.execute(sa.select(AuditEvent.action, AuditEvent.created_at)).all())
    assert times == {"enrollment.joined": dt.datetime(2026, 3, 4, tzinfo=dt.UTC),
                     "cohort.updated": moment}
