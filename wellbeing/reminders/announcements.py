"""Announcements: what a facilitator writes to their cohort goes, once confirmed, to every
active participant (not to the invited who never joined, nor to anyone who left). Not
held for quiet hours and not optional: it is the facilitator speaking, like a letter."""
import datetime as dt
import re

from flask import current_app, render_template
from markupsafe import Markup, escape
from sqlalchemy import select, update

from ..audit.service import record
from ..auth.models import User
from ..cohorts.models import ACTIVE, Cohort, Enrollment
from ..course.markdown import render_markdown
from ..extensions import db
from ..notifications.service import queue_many
from ..orgs.models import Organization
from .kinds import ANNOUNCEMENT
from .links import Links
from .models import Announcement


def body_html(announcement: Announcement) -> Markup:
    """The body as the email and the preview show it: sanitised Markdown as in modules,
    or plain text kept as typed."""
    if announcement.format == "markdown":
        return render_markdown(announcement.body)
    paragraphs = [p.strip() for p in announcement.body.replace("\r\n", "\n").split("\n\n")]
    return Markup("\n".join(
        "<p>" + str(escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs if p))


def named_people(announcement: Announcement) -> list[str]:
    """Names of people enrolled in the cohort that the announcement appears to mention:
    a whole name anywhere (any case), or a first name written with its capital. The
    preview asks the writer to check: an announcement goes to the whole cohort, and
    naming someone can say how they are doing."""
    text = f"{announcement.subject}\n{announcement.body}"
    names = db.session.scalars(
        select(User.name).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == announcement.cohort_id)).all()
    found = []
    for name in sorted(set(names)):
        first = name.split()[0] if name.split() else ""
        whole = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
        by_first = len(first) >= 3 and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", text)
        if whole or by_first:
            found.append(name)
    return found


def send(announcement: Announcement, actor, now: dt.datetime) -> bool:
    """Queue the announcement for every active participant. False when it had already
    been sent (a second click, another tab)."""
    claimed = db.session.execute(update(Announcement).where(
        Announcement.id == announcement.id, Announcement.sent_at.is_(None))
        .values(sent_at=now)).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    cohort = announcement.cohort_id
    org = db.session.get(Organization, announcement.org_id)
    people = db.session.execute(
        select(Enrollment.id, User).join(User, User.id == Enrollment.user_id)
        .where(Enrollment.cohort_id == cohort, Enrollment.status == ACTIVE,
               User.is_active_account.is_(True))).all()
    links = Links(now)
    html = body_html(announcement)
    rows = []
    for enrollment_id, user in people:
        key = f"{ANNOUNCEMENT}:{announcement.id}:{enrollment_id}"
        context = {"user": user, "org": org, "announcement": announcement, "body_html": html,
                   "author": db.session.get(User, announcement.author_id)
                   if announcement.author_id else None,
                   "link": links.make(key, user.id, "/course/"),
                   "base_url": current_app.config["BASE_URL"], "unsubscribe_url": None}
        rows.append({
            "org_id": org.id, "dedupe_key": key, "kind": ANNOUNCEMENT, "user_id": user.id,
            "enrollment_id": enrollment_id, "cohort_id": cohort, "to_email": user.email,
            "subject": f"{announcement.subject} · {org.name}",
            "body_text": render_template("emails/announcement.txt", **context),
            "body_html": render_template("emails/announcement.html", **context),
            "due_at": now})
    links.store(queue_many(rows))
    record(org.id, actor.id, "announcement.sent", db.session.get(Cohort, cohort),
           f"Sent the announcement “{announcement.subject}” to the cohort's active "
           "participants")
    return True
