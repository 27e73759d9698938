"""Migration 0022 on a database in use: every answer is kept, each person still finds
their own, pre and post still pair under PAIRING_KEY, and nothing in the rows pairs them
without it."""
import uuid

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from wellbeing.cohorts.models import Enrollment
from wellbeing.extensions import db
from wellbeing.surveys import sealing, service


def test_upgrade_seals_the_pairing_and_gives_each_wave_its_own_respondent(
        make_cohort, enroll, make_user, org):
    cohort = make_cohort(org=org)
    people = [make_user(org=org) for _ in range(3)]
    enrollments = [enroll(person, cohort) for person in people]
    keys = [service.pairing_key(cohort.id, p.id) for p in people]
    ids = {"org": org.id, "cohort": cohort.id}
    enrollment_ids = [e.id for e in enrollments]
    db.session.remove()
    downgrade(revision="0021")
    with db.engine.begin() as conn:
        for n, key in enumerate(keys):
            for wave in ("pre", "post")[: 2 if n else 1]:  # person 0 skipped the post survey
                conn.execute(sa.text(
                    "INSERT INTO survey_responses (id, org_id, cohort_id, wave, instrument, "
                    "pairing_key, answers, scores) VALUES (:id, :org, :cohort, :wave, "
                    "'PSS-10', :key, '{\"1\": 2}', :scores)"),
                    {**ids, "id": str(uuid.uuid4()), "wave": wave, "key": key,
                     "scores": f'{{"total": {n * 10}}}'})
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM survey_responses")).mappings().all()
    assert len(rows) == 5 and all("pairing_key" not in r for r in rows)
    pre = {r["respondent"] for r in rows if r["wave"] == "pre"}
    post = {r["respondent"] for r in rows if r["wave"] == "post"}
    assert len(pre) == 3 and len(post) == 2 and not pre & post
    assert len({bytes(r["pairing"]) for r in rows}) == 5  # fresh nonces: no two alike
    assert len({len(r["pairing"]) for r in rows}) == 1
    opened = sorted(sealing.open_pairing(ids["cohort"], r["pairing"]) for r in rows)
    assert opened == sorted([keys[0], keys[1], keys[1], keys[2], keys[2]])
    for n, enrollment_id in enumerate(enrollment_ids):
        own = service.own_responses(db.session.get(Enrollment, enrollment_id))
        assert sorted(own) == (["pre"] if n == 0 else ["post", "pre"])
        assert own["pre"]["PSS-10"].scores["total"] == n * 10
