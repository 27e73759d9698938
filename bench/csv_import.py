"""Benchmark: a 10,000-row enrollment CSV checked, imported and its invitations queued.

    .venv/bin/python bench/csv_import.py              # SQLite in a temporary folder
    DATABASE_URL=postgresql://... .venv/bin/python bench/csv_import.py

The project's own path (the same service calls the upload and confirm pages make) is
timed against a floor measured in the same run: the simplest code writing the same rows
(users, enrollments, sign-in tokens, outbox messages) with plain executemany and one
pre-rendered email body. Target: the project at most 5 s.
"""
import datetime as dt
import hashlib
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
TARGET_SECONDS = 5.0
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_csv(tag: str) -> bytes:
    zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", ""]
    lines = ["email;name;department;locale;time zone"]
    for n in range(ROWS):
        lines.append(f"person.{n}.{tag}@bench.example.com;Person {n} Müller;"
                     f"Dept {n % 12};en;{zones[n % 4]}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def project(app, data: bytes) -> dict:
    from wellbeing.auth.models import ADMIN, User
    from wellbeing.cohorts.enrollment import confirm_import, create_preview, load_preview
    from wellbeing.cohorts.models import Cohort
    from wellbeing.core.timeutil import now_utc
    from wellbeing.extensions import db
    from wellbeing.orgs.models import Organization

    with app.test_request_context():
        org = Organization(name=f"Bench {secrets.token_hex(4)}", timezone="Europe/Berlin")
        db.session.add(org)
        db.session.flush()
        admin = User(org_id=org.id, email=f"hr.{org.id}.{secrets.token_hex(3)}@bench.example.com",
                     name="Bench HR", role=ADMIN)
        cohort = Cohort(org_id=org.id, name="Bench cohort", start_date=dt.date(2030, 3, 4),
                        timezone="Europe/Berlin", release_time=dt.time(9), weeks=8)
        db.session.add_all([admin, cohort])
        db.session.commit()
        started = time.perf_counter()
        preview = create_preview(cohort, admin, "bench.csv", data)
        db.session.commit()
        checked = time.perf_counter()
        counts = load_preview(preview)["counts"]
        assert counts["error"] == 0, counts
        imported = confirm_import(preview, cohort, admin, now_utc())
        db.session.commit()
        done = time.perf_counter()
        assert imported == ROWS
        return {"check": checked - started, "import": done - checked, "total": done - started,
                "org_id": org.id}


def floor(app, tag: str) -> float:
    """The same inserts, nothing else: no checks, one body for every email."""
    from sqlalchemy import text

    from wellbeing.core.timeutil import now_utc
    from wellbeing.extensions import db

    with app.app_context():
        org_id = db.session.execute(text(
            "INSERT INTO organizations (name, timezone, min_group_size, crisis_resources) "
            "VALUES (:n, 'UTC', 5, '') RETURNING id"), {"n": f"Floor {tag}"}).scalar_one()
        cohort_id = db.session.execute(text(
            "INSERT INTO cohorts (org_id, name, start_date, timezone, release_time, weeks) "
            "VALUES (:o, 'Floor', '2030-03-04', 'UTC', '09:00:00', 8) RETURNING id"),
            {"o": org_id}).scalar_one()
        db.session.commit()
        sqlite = db.engine.dialect.name == "sqlite"
        now = now_utc()
        stamp = now.replace(tzinfo=None).isoformat(" ") if sqlite else now
        expires = (now + dt.timedelta(days=7))
        expires = expires.replace(tzinfo=None).isoformat(" ") if sqlite else expires
        body = "Hello,\n\nYou're invited.\n\nhttp://x/signin/link/TOKEN\n" * 8
        emails = [f"floor.{n}.{tag}@bench.example.com" for n in range(ROWS)]
        started = time.perf_counter()
        conn = db.session.connection()
        ph = "?" if sqlite else "%s"
        conn.exec_driver_sql(
            "INSERT INTO users (org_id, email, name, role, locale, is_active_account, "
            f"created_at) VALUES ({', '.join([ph] * 7)})",
            [(org_id, e, "Floor Person", "participant", "en", True, stamp) for e in emails])
        ids = [row[0] for row in conn.exec_driver_sql(
            f"SELECT id FROM users WHERE org_id = {int(org_id)} ORDER BY id")]
        conn.exec_driver_sql(
            f"INSERT INTO enrollments (org_id, cohort_id, user_id, status, invited_at) "
            f"VALUES ({ph}, {ph}, {ph}, 'invited', {ph})",
            [(org_id, cohort_id, uid, stamp) for uid in ids])
        conn.exec_driver_sql(
            f"INSERT INTO login_tokens (user_id, token_hash, next_path, expires_at, created_at)"
            f" VALUES ({ph}, {ph}, {ph}, {ph}, {ph})",
            [(uid, hashlib.sha256(secrets.token_bytes(16)).hexdigest(), "/welcome/1", expires,
              stamp) for uid in ids])
        conn.exec_driver_sql(
            f"INSERT INTO outbox_messages (org_id, dedupe_key, kind, user_id, to_email, subject,"
            f" body_text, body_html, status, due_at, attempts, created_at) VALUES "
            f"({', '.join([ph] * 12)})",
            [(org_id, f"floor-{tag}-{uid}", "invitation", uid, e, "Invited", body, body,
              "pending", stamp, 0, stamp) for uid, e in zip(ids, emails, strict=True)])
        db.session.commit()
        return time.perf_counter() - started


def main() -> int:
    os.environ.setdefault("WELLBEING_INSTANCE", tempfile.mkdtemp(prefix="wb-bench-"))
    url = os.environ.get("DATABASE_URL") or \
        f"sqlite:///{Path(os.environ['WELLBEING_INSTANCE']) / 'bench.db'}"
    from wellbeing import create_app
    from wellbeing.cli.provision import upgrade_database

    app = create_app({"PROFILE": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "ENQUEUE_AFTER_COMMIT": False, "BASE_URL": "http://127.0.0.1:5000"})
    import logging
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade_database()
    tag = secrets.token_hex(3)
    data = make_csv(tag)
    ours = project(app, data)
    base = floor(app, tag)
    rate = ROWS / ours["total"]
    print(f"database: {url.split(':')[0].split('+')[0]}, rows: {ROWS:,}")
    print(f"project:  {ours['total']:.2f} s  ({rate:,.0f} rows/s; check {ours['check']:.2f} s, "
          f"import + invitations {ours['import']:.2f} s)")
    print(f"floor:    {base:.2f} s  ({ROWS / base:,.0f} rows/s; plain executemany, "
          f"no checks, one pre-rendered body)")
    print(f"ratio:    {ours['total'] / base:.1f}× the floor; target ≤ {TARGET_SECONDS:.0f} s: "
          f"{'met' if ours['total'] <= TARGET_SECONDS else 'MISSED'}")
    return 0 if ours["total"] <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
