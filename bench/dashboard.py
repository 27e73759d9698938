"""Benchmark: outcome dashboards of an organisation with 100,000 participants in 400
finished cohorts (pre and post answers, weeks opened and completed, home practice), in
PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wellbeing_bench \
        .venv/bin/python bench/dashboard.py [participants] [cohorts]

The database's public schema is dropped and rebuilt by the migrations. The snapshots are
taken once (as they are once per cohort when its survey closes), and timed. Then, in a
fresh process (the "web process", whose peak memory is reported), the organisation and a
cohort dashboard are requested through the app (server time: queries, statistics,
suppression, Plotly figures and templates), against the floor: the paired aggregates
computed straight from the answers by the simplest code (one SQL query for the rows, each
row's sealed pairing key opened, pre and post paired, then counts, means, SDs and the SD of
the change per cohort and questionnaire), in the same run. Since migration 0022 only
PAIRING_KEY pairs a person's answers, so no SQL join alone can: opening the pairings is
work the floor cannot skip. Goals: org dashboard at most 3x the floor; cohort
dashboard under 100 ms; peak memory of the web process under 300 MB. The last line is
`ratio X` (org dashboard over the floor).
"""
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DSN = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/wellbeing_bench")
PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100_000
COHORTS = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 400
REPEATS = 9
ADMIN_EMAIL = "hr@bench.example.com"

FLOOR_SQL = """
SELECT cohort_id, instrument, wave, pairing, (scores->>'total')::float
FROM survey_responses WHERE wave IN ('pre', 'post') {where}
"""


def floor_aggregates(rows) -> dict:
    """(cohort, instrument) -> n, means, SDs and SD of the change of the paired totals."""
    from wellbeing.surveys import sealing
    pairs: dict = {}
    for cohort_id, instrument, wave, pairing, total in rows:
        key = sealing.open_pairing(cohort_id, pairing)
        pairs.setdefault((cohort_id, instrument), {}).setdefault(key, {})[wave] = total
    found = {}
    for group, people in pairs.items():
        both = [(p["pre"], p["post"]) for p in people.values() if len(p) == 2]
        if len(both) < 2:
            continue
        pre, post = zip(*both, strict=True)
        found[group] = (len(both), statistics.fmean(pre), statistics.fmean(post),
                        statistics.stdev(pre), statistics.stdev(post),
                        statistics.stdev([b - a for a, b in both]))
    return found


def app_for_bench():
    os.environ.setdefault("WELLBEING_INSTANCE", "/tmp/wellbeing-bench-dashboard")
    Path(os.environ["WELLBEING_INSTANCE"]).mkdir(parents=True, exist_ok=True)
    from wellbeing import create_app
    # The bench signs in through the test client (no form page first, plain http).
    return create_app({"SQLALCHEMY_DATABASE_URI": DSN, "ENQUEUE_AFTER_COMMIT": False,
                       "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None,
                       "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                       "REMEMBER_COOKIE_SECURE": False})


def seed() -> None:
    import sqlalchemy as sa

    from wellbeing.auth.models import ADMIN, PARTICIPANT, User
    from wellbeing.cli.provision import upgrade_database
    from wellbeing.cohorts.models import ACTIVE, Cohort, Enrollment
    from wellbeing.course.models import ModuleOpened, ModuleProgress, PracticeLog
    from wellbeing.extensions import db
    from wellbeing.instruments import get
    from wellbeing.instruments.scoring import score
    from wellbeing.orgs.models import Organization
    from wellbeing.surveys import sealing
    from wellbeing.surveys.models import SurveyResponse

    app = app_for_bench()
    rng = random.Random(15)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade_database()
        started = time.perf_counter()
        org = Organization(name="Bench Org", timezone="Europe/London")
        db.session.add(org)
        db.session.flush()
        db.session.add(User(org_id=org.id, email=ADMIN_EMAIL, name="Bench HR", role=ADMIN))
        today = dt.date.today()
        cohorts = []
        for n in range(COHORTS):
            start = today - dt.timedelta(weeks=12 + n)
            cohorts.append(Cohort(org_id=org.id, name=f"Cohort {n + 1:03d}",
                                  start_date=start - dt.timedelta(days=start.weekday()),
                                  timezone="Europe/London", weeks=8))
        db.session.add_all(cohorts)
        db.session.commit()
        per_cohort = PARTICIPANTS // COHORTS
        scs, pss = get("SCS-SF"), get("PSS-10")
        users = [{"org_id": org.id, "email": f"p{i}@bench.example.com", "name": f"P {i}",
                  "role": PARTICIPANT} for i in range(per_cohort * COHORTS)]
        db.session.execute(sa.insert(User), users)
        user_ids = list(db.session.scalars(sa.select(User.id).where(
            User.role == PARTICIPANT).order_by(User.id)))
        joined = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        db.session.execute(sa.insert(Enrollment), [
            {"org_id": org.id, "cohort_id": cohorts[i // per_cohort].id, "user_id": uid,
             "status": ACTIVE, "invited_at": joined, "joined_at": joined}
            for i, uid in enumerate(user_ids)])
        enrollments = db.session.execute(sa.select(Enrollment.id, Enrollment.cohort_id)
                                         .order_by(Enrollment.id)).all()
        db.session.commit()
        print(f"seeded people: {len(enrollments)} in {COHORTS} cohorts "
              f"({time.perf_counter() - started:.1f} s)")
        starts = {c.id: c.start_date for c in cohorts}
        opened, done, practice, answers = [], [], [], []
        for enrollment_id, cohort_id in enrollments:
            stop = min(8, 1 + int(rng.expovariate(0.2)))
            for week in range(1, stop + 1):
                day = starts[cohort_id] + dt.timedelta(days=7 * (week - 1))
                opened.append({"org_id": org.id, "enrollment_id": enrollment_id,
                               "cohort_id": cohort_id, "week": week, "opened_on": day})
                if rng.random() < 0.9:
                    done.append({"org_id": org.id, "enrollment_id": enrollment_id,
                                 "cohort_id": cohort_id, "week": week, "completed_on": day})
                practice.append({"org_id": org.id, "enrollment_id": enrollment_id,
                                 "cohort_id": cohort_id, "day": day, "practice": "other",
                                 "minutes": rng.choice([5, 10, 20])})
            key = uuid.uuid4().hex
            tendency = rng.gauss(0, 0.5)
            for wave, lift in (("pre", 0.0), ("post", 0.5)):
                if wave == "post" and rng.random() > 0.85:
                    continue
                for instrument, good in ((scs, True), (pss, False)):
                    lo, hi = instrument.scale_min, instrument.scale_max
                    centre = (lo + hi) / 2 + (tendency + lift) * (1 if good else -1)
                    raw = {}
                    for item in instrument.items:
                        keyed = min(hi, max(lo, round(rng.gauss(centre, 0.8))))
                        raw[item.n] = lo + hi - keyed if item.n in instrument.reverse \
                            else keyed
                    answers.append({
                        "id": str(uuid.uuid4()), "org_id": org.id, "cohort_id": cohort_id,
                        "wave": wave, "instrument": instrument.code,
                        "respondent": sealing.owner(key, wave),
                        "pairing": sealing.seal_pairing(cohort_id, key),
                        "answers": {str(k): v for k, v in raw.items()},
                        "scores": score(instrument, raw)})
        for model, rows in ((ModuleOpened, opened), (ModuleProgress, done),
                            (PracticeLog, practice), (SurveyResponse, answers)):
            for i in range(0, len(rows), 20_000):
                db.session.execute(sa.insert(model), rows[i:i + 20_000])
            db.session.commit()
        with db.engine.connect() as conn:
            conn.execute(sa.text("ANALYZE"))
        print(f"seeded answers: {len(answers)} rows, {len(opened)} weeks opened, "
              f"{len(done)} completed, {len(practice)} practice entries "
              f"({time.perf_counter() - started:.1f} s)")

        from wellbeing.core.timeutil import now_utc
        from wellbeing.outcomes import snapshots
        everyone = list(db.session.scalars(sa.select(Cohort)))
        began = time.perf_counter()
        assert snapshots.kept_for(everyone, now_utc())[1]
        db.session.commit()
        spent = time.perf_counter() - began
        print(f"snapshots taken: {len(everyone)} cohorts in {spent:.1f} s "
              f"({spent / len(everyone) * 1000:.0f} ms per cohort, once, at its close)")


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux keeps
    ru_maxrss across exec, so a child of the seeding process would report the seeder's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_ms(call, repeats=REPEATS) -> float:
    call()  # warm
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def measure() -> None:
    """The web process: the app serving the dashboards, then the floor."""
    import sqlalchemy as sa

    from wellbeing.auth.models import User
    from wellbeing.auth.service import issue_link
    from wellbeing.cohorts.models import Cohort
    from wellbeing.extensions import db

    app = app_for_bench()
    with app.app_context():
        client = app.test_client()
        token = issue_link(db.session.scalar(sa.select(User).filter_by(email=ADMIN_EMAIL)))
        db.session.commit()
        assert client.post(f"/signin/link/{token}").status_code == 302
        cohort_id = db.session.scalar(sa.select(Cohort.id).order_by(Cohort.id).limit(1))

        def get(path):
            def call():
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                db.session.remove()
            return call

        org_ms = median_ms(get("/outcomes/organisation"))
        org_pss_ms = median_ms(get("/outcomes/organisation?instrument=PSS-10"))
        cohort_ms = median_ms(get(f"/outcomes/cohorts/{cohort_id}"))
        csv_ms = median_ms(get("/outcomes/organisation/outcomes.csv"))

        def raw(where="", params=None):
            def call():
                with db.engine.connect() as conn:
                    rows = conn.execute(sa.text(FLOOR_SQL.format(where=where)),
                                        params or {}).all()
                assert floor_aggregates(rows)
            return call

        raw_org_ms = median_ms(raw())
        raw_cohort_ms = median_ms(raw("AND cohort_id = :c", {"c": cohort_id}))
    peak_mb = peak_rss_mb()
    print(json.dumps({"org": org_ms, "org_pss": org_pss_ms, "cohort": cohort_ms,
                      "csv": csv_ms, "raw_org": raw_org_ms, "raw_cohort": raw_cohort_ms,
                      "peak_mb": peak_mb}))


def main():
    if "--measure" in sys.argv:
        measure()
        return
    if "--no-seed" not in sys.argv:
        seed()
    result = subprocess.run([sys.executable, __file__, "--measure"], cwd=ROOT,
                            capture_output=True, text=True, env=dict(os.environ,
                                                                     DATABASE_URL=DSN))
    if result.returncode:
        print(result.stderr[-3000:])
        raise SystemExit("the measuring process failed")
    m = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"org dashboard (SCS-SF)      {m['org']:8.1f} ms  (server time, figures included)")
    print(f"org dashboard (PSS-10)      {m['org_pss']:8.1f} ms")
    print(f"org CSV export              {m['csv']:8.1f} ms")
    print(f"cohort dashboard            {m['cohort']:8.1f} ms  (goal: under 100 ms)")
    print(f"floor, org aggregates       {m['raw_org']:8.1f} ms  (SQL + opening the pairings)")
    print(f"floor, cohort aggregates    {m['raw_cohort']:8.1f} ms")
    print(f"web process peak memory     {m['peak_mb']:8.1f} MB  (goal: under 300 MB)")
    print(f"cohort dashboard / floor    {m['cohort'] / m['raw_cohort']:8.2f}")
    print(f"ratio {m['org'] / m['raw_org']:.2f}")


if __name__ == "__main__":
    main()
