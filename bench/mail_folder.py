"""Benchmark: a backlog of outbox messages delivered to the embedded profile's mail folder.

    .venv/bin/python bench/mail_folder.py            # SQLite in a temporary folder

The project's path (delivery.deliver_due: claim, send-time checks, build the email, write
the .eml, mark each row sent) against a floor in the same run: the simplest code writing
the same messages, read straight from the table, as .eml files with the standard library
and marking them sent in one UPDATE. Goal (issue 14): at least 100 messages a second.
"""
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "2000"))
GOAL_PER_SECOND = 100
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def queue(app, participant_id: int, org_id: int, email: str, tag: str) -> None:
    from wellbeing.core.timeutil import now_utc
    from wellbeing.extensions import db
    from wellbeing.notifications.service import queue_many

    queue_many([{"org_id": org_id, "dedupe_key": f"bench:{tag}:{n}", "kind": "moved",
                 "user_id": participant_id, "to_email": email, "subject": f"Message {n}",
                 "body_text": "Hello\n" * 20, "body_html": "<p>Hello</p>" * 20,
                 "due_at": now_utc()} for n in range(MESSAGES)])
    db.session.commit()


def project(app, folder: Path) -> float:
    from wellbeing.notifications import delivery

    app.config.update(SMTP_HOST=None, MAIL_FOLDER=str(folder))
    started = time.perf_counter()
    with app.app_context():
        sent = delivery.deliver_due().get("sent", 0)
    elapsed = time.perf_counter() - started
    assert sent == MESSAGES, sent
    assert len(list(folder.glob("*.eml"))) == MESSAGES
    return elapsed


def floor(app, folder: Path, tag: str) -> float:
    from sqlalchemy import text

    from wellbeing.extensions import db

    folder.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        started = time.perf_counter()
        rows = db.session.execute(text(
            "SELECT id, to_email, subject, body_text, body_html FROM outbox_messages "
            "WHERE dedupe_key LIKE :k AND status = 'pending'"), {"k": f"bench:{tag}:%"}).all()
        for row in rows:
            email = EmailMessage()
            email["To"], email["From"], email["Subject"] = row.to_email, "a@b.c", row.subject
            email.set_content(row.body_text)
            email.add_alternative(row.body_html, subtype="html")
            (folder / f"{row.id:08d}.eml").write_bytes(bytes(email))
        db.session.execute(text("UPDATE outbox_messages SET status = 'sent' "
                                "WHERE dedupe_key LIKE :k"), {"k": f"bench:{tag}:%"})
        db.session.commit()
        return time.perf_counter() - started


def main() -> int:
    os.environ.setdefault("WELLBEING_INSTANCE", tempfile.mkdtemp(prefix="wb-bench-"))
    root = Path(os.environ["WELLBEING_INSTANCE"])
    from wellbeing import create_app
    from wellbeing.auth.models import PARTICIPANT, User
    from wellbeing.cli.provision import upgrade_database
    from wellbeing.extensions import db
    from wellbeing.orgs.models import Organization

    app = create_app({"PROFILE": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'b.db'}",
                      "ENQUEUE_AFTER_COMMIT": False, "BASE_URL": "http://127.0.0.1:5000"})
    import logging
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade_database()
        org = Organization(name="Bench", timezone="UTC")
        db.session.add(org)
        db.session.flush()
        person = User(org_id=org.id, email="p@bench.example.com", name="P", role=PARTICIPANT)
        db.session.add(person)
        db.session.commit()
        ids = (person.id, org.id, person.email)
        queue(app, *ids, tag="project")
    ours = project(app, root / "project")
    with app.app_context():
        queue(app, *ids, tag="floor")
    base = floor(app, root / "floor", "floor")
    print(f"messages: {MESSAGES:,} to the mail folder (SQLite)")
    print(f"project:  {MESSAGES / ours:,.0f} messages/s  ({ours:.2f} s)")
    print(f"floor:    {MESSAGES / base:,.0f} messages/s  ({base:.2f} s; read, build, write, "
          "one UPDATE)")
    print(f"ratio:    {base / ours:.2f} of the floor; goal ≥ {GOAL_PER_SECOND} messages/s: "
          f"{'met' if MESSAGES / ours >= GOAL_PER_SECOND else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
