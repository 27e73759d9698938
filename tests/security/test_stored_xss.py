"""Stored XSS: hostile text in everything a person can type (names, cohort names and
places, CSV cells and file names, journal, practice notes, the organisation's own module
Markdown, announcements, staff invitations, the organisation's name and support text),
then every page each role reaches, crawled in real Chromium. On each page the payloads
must be inert (no script ran, no dialog, no injected handler or javascript: link) and
shown as text.

The pages are loaded with the Content-Security-Policy bypassed: CSP is our second wall,
and this test checks the first one (escaping and sanitising), which must hold alone."""
import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT
from wellbeing.cohorts.models import EnrollmentImport
from wellbeing.course import journal
from wellbeing.course.models import OrgModule, PracticeLog
from wellbeing.extensions import db
from wellbeing.reminders.models import Announcement

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__xss=1</script>"
PAYLOAD = SCRIPT + '<img src=x onerror=window.__xss=1>"><svg onload=window.__xss=1>'
MARKDOWN = ("## Reading\n\n[click me](javascript:window.__xss=1) "
            "[me too](JaVaScRiPt:window.__xss=1) <a href=\"javascript:window.__xss=1\">and me"
            "</a>\n\n<img src=x onerror=window.__xss=1>\n\n<svg onload=window.__xss=1></svg>"
            "\n\n" + SCRIPT + "\n\n<iframe src=\"javascript:window.__xss=1\"></iframe>")
SKIP = re.compile(r"^/(signout|static/|dev/mailbox)|\.(csv|ics|json|js)$|/audio$|/delete$"
                  r"|/withdraw$|/archive$|/unarchive$|/publish$|/restore$")

INJECTED = """() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
            if (a.name.startsWith('on') || value.startsWith('javascript:')
                    || (a.name === 'srcdoc')) bad.push(el.tagName + ' ' + a.name);
        }
        if (el.tagName === 'SCRIPT' && el.textContent.includes('__xss')
                && el.type !== 'application/json') bad.push('script');
    }
    return bad;
}"""


def tagged(tag: str) -> str:
    return f"{tag} {PAYLOAD}"


def _seed(org, make_user, make_cohort, enroll):
    from wellbeing.cohorts.enrollment import create_preview
    from wellbeing.orgs import people
    org.name = tagged("Org")[:200]
    org.crisis_resources = tagged("Support") + "\nCall 0800 123 4567 or https://help.example/" \
        + '"><script>window.__xss=1</script>'
    admin = make_user(ADMIN, org=org, name=tagged("Admin"))
    now = dt.datetime.now(dt.UTC)
    facilitator = people.invite(org, admin, email="fac@acme.example.com",
                                name=tagged("Invited"), role=FACILITATOR, now=now)
    facilitator.accepted_at = now
    pat = make_user(PARTICIPANT, org=org, name=tagged("Pat"), department=tagged("Dept"))
    cohort = make_cohort(org=org, name=tagged("Cohort"), start=dt.date.today()
                         - dt.timedelta(days=8), facilitators=[facilitator],
                         live_session_place=tagged("Place"), live_session_time=dt.time(12),
                         live_session_minutes=60)
    enrollment = enroll(pat, cohort)
    for n in range(5):
        enroll(make_user(PARTICIPANT, org=org, name=tagged(f"Person{n}")), cohort)
    journal.write(pat, tagged("Journal"), dt.date.today())
    db.session.add(PracticeLog(org_id=org.id, enrollment_id=enrollment.id,
                               cohort_id=enrollment.cohort_id,
                               day=dt.date.today(), practice="other", minutes=10,
                               note=tagged("Note")))
    db.session.add(OrgModule(org_id=org.id, week=1, title=tagged("Title")[:200],
                             intention=tagged("Intention"), reading=MARKDOWN,
                             reflection=tagged("Reflection"),
                             home_practice=tagged("Home")))
    announcement = Announcement(org_id=org.id, cohort_id=cohort.id, author_id=admin.id,
                                subject=tagged("Subject")[:150], body=MARKDOWN,
                                format="markdown")
    plain = Announcement(org_id=org.id, cohort_id=cohort.id, author_id=admin.id,
                         subject=tagged("Plain")[:150], body=tagged("Body"), format="plain")
    db.session.add_all([announcement, plain])
    csv = ("email,name,department,time zone\n"
           f'"{tagged("Cell")}","{tagged("CsvName").replace(chr(34), chr(34) * 2)}",'
           f'"{tagged("CsvDept").replace(chr(34), chr(34) * 2)}",Europe/London\n'
           f'new@example.com,"{tagged("CsvName").replace(chr(34), chr(34) * 2)}",'
           f'"{tagged("CsvDept").replace(chr(34), chr(34) * 2)}",'
           f'"{tagged("Zone").replace(chr(34), chr(34) * 2)}"\n')
    create_preview(cohort, admin, tagged("File") + ".csv", csv.encode())
    db.session.commit()
    preview = db.session.scalar(select(EnrollmentImport))
    extra = {
        ADMIN: [f"/cohorts/{cohort.id}/imports/{preview.token}",
                f"/reminders/cohorts/{cohort.id}/announcements/{announcement.id}",
                f"/reminders/cohorts/{cohort.id}/announcements/{plain.id}",
                "/course/modules/1/preview", "/course/modules/1/edit", "/org/settings"],
        FACILITATOR: [f"/reminders/cohorts/{cohort.id}/announcements/{announcement.id}"],
        PARTICIPANT: ["/course/weeks/1", "/course/journal", "/course/practice",
                      f"/welcome/{cohort.id}"],
    }
    return {ADMIN: admin, FACILITATOR: facilitator, PARTICIPANT: pat}, extra


def _sign_in(context, user):
    from wellbeing.auth.service import issue_link
    token = issue_link(user)
    db.session.commit()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/signin/link/{token}")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to Wellbeing").click()
    return page


def _crawl(page, live_server, start: list[str], limit: int = 70):
    seen, queue, results = set(), list(start), []
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(urlsplit(path).path):
            continue
        seen.add(path)
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        results.append((path, page.evaluate("() => window.__xss"), page.evaluate(INJECTED),
                        page.inner_text("body")))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if href.startswith(live_server) and parts.path:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return results


EXPECTED_TEXT = {
    ADMIN: {"Org", "Support", "Admin", "Invited", "Pat", "Cohort", "Place", "Person0",
            "Title", "Intention", "Reflection", "Home", "Subject", "Plain", "Body", "Cell",
            "CsvName", "CsvDept", "File"},
    FACILITATOR: {"Org", "Cohort", "Subject"},
    PARTICIPANT: {"Org", "Support", "Cohort", "Place", "Journal", "Note", "Title",
                  "Intention", "Reflection", "Home"},
}


@pytest.mark.parametrize("role", [ADMIN, FACILITATOR, PARTICIPANT])
def test_hostile_text_is_inert_and_shown_as_text_on_every_page(
        app, org, make_user, make_cohort, enroll, browser, live_server, role):
    users, extra = _seed(org, make_user, make_cohort, enroll)
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    dialogs = []
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message),
                                                           d.dismiss())))
    try:
        page = _sign_in(context, users[role])
        results = _crawl(page, live_server, ["/home", *extra[role]])
    finally:
        context.close()
    assert len(results) >= 8, [r[0] for r in results]
    shown = set()
    for path, ran, injected, text in results:
        assert ran is None, (role, path)
        assert injected == [], (role, path, injected)
        shown |= {tag for tag in EXPECTED_TEXT[role] if f"{tag} {SCRIPT}" in text}
    assert dialogs == []
    assert shown == EXPECTED_TEXT[role], sorted(EXPECTED_TEXT[role] - shown)


def test_hostile_text_in_emails_is_inert_in_chromium(app, org, make_user, make_cohort,
                                                    enroll, browser):
    """The same text reaches HTML email (invitations, staff invitations, announcements):
    each HTML body, opened in Chromium as a mail client would show it, runs nothing."""
    from wellbeing.cohorts.invitations import invite
    from wellbeing.cohorts.models import Cohort, Enrollment
    from wellbeing.notifications.models import OutboxMessage
    from wellbeing.reminders import announcements
    users, _ = _seed(org, make_user, make_cohort, enroll)
    cohort = db.session.scalar(select(Cohort))
    newcomer = make_user(PARTICIPANT, org=org, name=tagged("Newcomer"))
    invite(enroll(newcomer, cohort, status="invited"), cohort, newcomer)
    assert db.session.scalar(select(Enrollment).filter_by(user_id=newcomer.id))
    for announcement in db.session.scalars(select(Announcement)):
        assert announcements.send(announcement, users[ADMIN], dt.datetime.now(dt.UTC))
    db.session.commit()
    bodies = {m.kind: m.body_html for m in db.session.scalars(select(OutboxMessage))
              if m.body_html}
    assert {"invitation", "staff-invitation", "announcement"} <= bodies.keys()
    context = browser.new_context(bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        shown = set()
        for kind, html in bodies.items():
            page.set_content(html)
            assert page.evaluate("() => window.__xss") is None, kind
            assert page.evaluate(INJECTED) == [], kind
            text = page.inner_text("body")
            shown |= {tag for tag in ("Org", "Cohort", "Newcomer", "Invited", "Subject")
                      if f"{tag} {SCRIPT}" in text}
    finally:
        context.close()
    assert dialogs == []
    assert shown >= {"Org", "Newcomer", "Invited"}, shown


def test_a_name_in_chart_data_cannot_close_its_script_block(browser):
    """Charts carry cohort and practice names as JSON inside <script> blocks."""
    import plotly.graph_objects as go

    from wellbeing.core.pages import script_json
    name = "</script><script>window.__xss=1</script><!--" + PAYLOAD
    figure = go.Figure(go.Bar(x=[name], y=[1]))
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.set_content(f'<script type="application/json" id="d">{script_json(figure)}'
                         "</script><p>after</p>")
        assert page.evaluate("() => window.__xss") is None
        assert page.evaluate(INJECTED) == []
        assert page.evaluate(
            "() => JSON.parse(document.getElementById('d').textContent).data[0].x[0]") == name
        assert page.inner_text("body") == "after"
    finally:
        context.close()
