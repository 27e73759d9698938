"""Facilitators see completion counts (never names); admins edit the course text."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from wellbeing.audit.models import AuditEvent
from wellbeing.auth.models import ADMIN, FACILITATOR
from wellbeing.cohorts.models import WITHDRAWN, Enrollment
from wellbeing.course import service
from wellbeing.course.content import load_curriculum
from wellbeing.course.markdown import render_markdown
from wellbeing.course.models import ModuleProgress, OrgModule
from wellbeing.extensions import db
from wellbeing.outcomes import snapshots

from .conftest import at

WEEK_2_SAFETY = load_curriculum()[2].protected


@pytest.fixture
def progress(cohort, make_user, org, enroll):
    """Six participants: weeks completed 1: five, 2: two; one withdrawn who completed 1."""
    people = []
    for n in range(6):
        user = make_user(org=org, name=f"Named Person {n}")
        people.append(enroll(user, cohort))
    gone = enroll(make_user(org=org, name="Withdrawn Person"), cohort, status=WITHDRAWN)
    for enrollment, weeks in [(people[0], [1, 2]), (people[1], [1, 2]), (people[2], [1]),
                              (people[3], [1]), (people[4], [1]), (gone, [1])]:
        for week in weeks:
            db.session.add(ModuleProgress(org_id=cohort.org_id, enrollment_id=enrollment.id,
                                          cohort_id=enrollment.cohort_id,
                                          week=week, completed_on=dt.date(2026, 3, 10)))
    db.session.commit()
    return people


def cells(html: str, week: int) -> str:
    start = html.index(f'<th scope="row">{week}</th>')
    return html[start:html.index("</tr>", start)]


def test_facilitator_sees_counts_per_week_without_names(client, login, facilitator, cohort,
                                                        progress, travel):
    travel(at(2026, 3, 17, 12))
    login(client, facilitator)
    html = client.get(f"/course/cohorts/{cohort.id}/completion").get_data(as_text=True)
    # Everyone ever enrolled, the withdrawn person too: their week 1 still counts.
    assert "7 people have been enrolled in this cohort" in html
    # Rounded (six completed), never exact: watching it must not show who just completed,
    # and one week's total minus another's never counts fewer than five people.
    assert "about 5 of 7" in cells(html, 1)
    assert "Hidden: fewer than 5" in cells(html, 2) and "2 of 7" not in cells(html, 2)
    assert "Hidden: fewer than 5" in cells(html, 3) and "0 of 7" not in cells(html, 3)
    assert "Not open yet" in cells(html, 4)
    assert "Named Person" not in html and "Withdrawn Person" not in html
    assert "roster shows each person" not in html
    listing = client.get("/course/cohorts").get_data(as_text=True)
    assert "Spring cohort" in listing


def test_withdrawing_someone_leaves_the_counts_as_they_were(client, login, admin, cohort,
                                                           progress, travel):
    """Their weeks were completed here and stay counted: a count that dropped by exactly
    their weeks when they left would give their progress by subtraction."""
    travel(at(2026, 3, 17, 12))
    login(client, admin)
    url = f"/course/cohorts/{cohort.id}/completion"
    before = (client.get(url).get_data(as_text=True), service.completion_counts(cohort),
              snapshots.compute(cohort)["funnel"])
    busiest = progress[0]  # weeks 1 and 2
    left = client.post(f"/cohorts/{cohort.id}/enrollments/{busiest.id}/withdraw",
                       follow_redirects=True)
    assert "is withdrawn from “Spring cohort”" in left.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrollment, busiest.id).status == WITHDRAWN
    assert (client.get(url).get_data(as_text=True), service.completion_counts(cohort),
            snapshots.compute(cohort)["funnel"]) == before
    assert before[1] == (7, {1: 6, 2: 2})


def test_small_or_unanimous_completion_is_hidden(client, login, facilitator, cohort, make_user,
                                                 org, enroll, travel):
    people = [enroll(make_user(org=org), cohort) for _ in range(5)]
    for enrollment in people:  # all five completed week 1; one of them week 2
        db.session.add(ModuleProgress(org_id=org.id, enrollment_id=enrollment.id,
                                      cohort_id=enrollment.cohort_id, week=1,
                                      completed_on=dt.date(2026, 3, 10)))
    db.session.add(ModuleProgress(org_id=org.id, enrollment_id=people[0].id,
                                  cohort_id=people[0].cohort_id, week=2,
                                  completed_on=dt.date(2026, 3, 10)))
    db.session.commit()
    travel(at(2026, 3, 17, 12))
    login(client, facilitator)
    html = client.get(f"/course/cohorts/{cohort.id}/completion").get_data(as_text=True)
    # "5 of 5" would say that each person completed week 1; "1 of 5" points at someone.
    # Both read alike: two different reasons would tell "everyone" from "one".
    hidden = '<span class="suppressed">Hidden: fewer than 5, or everyone</span>'
    assert hidden in cells(html, 1) and hidden in cells(html, 2)
    assert "of 5<" not in cells(html, 1) and "1 of 5" not in html


def test_facilitator_of_another_cohort_is_not_shown_this_one(client, login, make_user, org,
                                                             cohort, progress):
    other = make_user(FACILITATOR, org=org)
    login(client, other)
    assert client.get(f"/course/cohorts/{cohort.id}/completion").status_code == 404
    assert "Spring cohort" not in client.get("/course/cohorts").get_data(as_text=True)


def test_admin_sees_every_cohort_of_their_org_only(client, login, admin, cohort, progress,
                                                   make_org, make_cohort):
    elsewhere = make_cohort(org=make_org(), name="Other org cohort")
    login(client, admin)
    assert client.get(f"/course/cohorts/{cohort.id}/completion").status_code == 200
    assert client.get(f"/course/cohorts/{elsewhere.id}/completion").status_code == 404
    assert "Other org cohort" not in client.get("/course/cohorts").get_data(as_text=True)


def test_participants_cannot_see_staff_pages(signed_in, cohort):
    assert signed_in.get(f"/course/cohorts/{cohort.id}/completion").status_code == 403
    assert signed_in.get("/course/modules").status_code == 403


def test_admin_overrides_a_weeks_text_and_participants_see_it(client, app, login, admin,
                                                              signed_in, travel):
    travel(at(2026, 3, 17, 12))
    staff = app.test_client()
    login(staff, admin)
    response = staff.post("/course/modules/2/edit", data={
        "title": "Our anchor week", "intention": "",
        "reading": "## Hello team\n\n<script>alert(1)</script>\n\n"
                   "[click](javascript:alert(1)) <img src=x onerror=alert(2)> "
                   '<a href="javascript:alert(3)" onclick="steal()">me</a> **kind**\n\n'
                   + "\n\n".join(WEEK_2_SAFETY),
        "reflection": "", "home_practice": ""})
    assert response.status_code == 302
    html = signed_in.get("/course/weeks/2").get_data(as_text=True)
    assert "<h1>Our anchor week</h1>" in html
    assert "To find a steady place to rest your attention" in html  # empty field: ours
    assert "<strong>kind</strong>" in html and "<h2>Hello team</h2>" in html
    reading = html[html.index('class="reading"'):html.index("practices-heading")]
    for bad in ("<script", "alert(1)</script>", "onerror", "onclick", '="javascript:', "<img"):
        assert bad not in reading, bad
    assert "[click](javascript:alert(1))" in reading  # a refused link stays inert text
    assert "Soothing rhythm breathing" in html  # practices unchanged
    assert db.session.scalar(select(AuditEvent).filter_by(
        action="course.module_text_saved")) is not None
    # Restoring deletes the organisation's text: the list's link asks first.
    listing = staff.get("/course/modules").get_data(as_text=True)
    assert 'href="/course/modules/2/restore"' in listing
    ask = staff.get("/course/modules/2/restore").get_data(as_text=True)
    assert "Restore our text for week 2?" in ask and "“Our anchor week”" in ask
    assert "<h1>Our anchor week</h1>" in signed_in.get("/course/weeks/2").get_data(
        as_text=True)  # asking changed nothing
    done = staff.post("/course/modules/2/restore", follow_redirects=True)
    assert "Week 2 uses our text again." in done.get_data(as_text=True)
    assert "<h1>Finding your anchor</h1>" in signed_in.get("/course/weeks/2").get_data(
        as_text=True)


def test_override_is_per_organisation(client, login, admin, make_org, make_user):
    db.session.add(OrgModule(org_id=make_org().id, week=1, title="Someone else's week"))
    db.session.commit()
    login(client, admin)
    html = client.get("/course/modules").get_data(as_text=True)
    assert "Discovering self-compassion" in html and "Someone else" not in html


def test_admin_adds_an_own_module_for_a_longer_cohort(client, app, login, admin, org,
                                                      make_cohort, participant, enroll,
                                                      sessions, travel):
    long = make_cohort(org=org, start=dt.date(2026, 1, 5), weeks=9, name="Long cohort")
    enroll(participant, long)
    login(client, admin)
    form = {"week": "9", "title": "Bringing it home", "intention": "To keep going.",
            "reading": "Keep *practising*.", "reflection": "What will you keep?",
            "home_practice": "Ten minutes a day.",
            "practices": ["soles-of-the-feet", "five-step-pause"]}
    assert client.post("/course/modules/new", data=form).status_code == 302
    again = client.post("/course/modules/new", data=form)
    assert b"Week 9 already has a module" in again.data
    early = client.post("/course/modules/new", data={**form, "week": "3"})
    assert b"Own modules use weeks 9 to 16" in early.data
    assert b'value="Bringing it home"' in early.data
    untitled = client.post("/course/modules/new", data={**form, "week": "10", "title": ""})
    assert b"Give the module a title." in untitled.data

    participant_client = app.test_client()
    sessions.append((participant_client, participant))
    travel(at(2026, 3, 3, 12))  # week 9 of the long cohort is open
    html = participant_client.get("/course/weeks/9").get_data(as_text=True)
    assert "<h1>Bringing it home</h1>" in html and "<em>practising</em>" in html
    assert "Feet on the ground" in html and "The five-step pause" in html


@pytest.mark.parametrize("dangerous", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[x](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))" onmouseover="x()">hi</p>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<details open ontoggle=alert(1)>",
])
def test_sanitiser_removes_scripts_handlers_and_unsafe_links(dangerous):
    html = str(render_markdown(f"Before\n\n{dangerous}\n\nAfter")).lower()
    for bad in ("<script", "onerror", "onload", "onmouseover", "ontoggle", "<iframe", "<svg",
                "style=", "data:text"):
        assert bad not in html, (bad, html)
    # Any link left points somewhere ordinary; a refused one is inert text, not an href.
    assert not re.search(r"href=\"\s*(?!https?:|mailto:)", html), html
    assert "before" in html and "after" in html


def test_sanitiser_keeps_ordinary_markdown():
    html = str(render_markdown("# Title\n\n- **one**\n- [two](https://example.com)\n\n> q"))
    assert "<h2>Title</h2>" in html and "<strong>one</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">two</a>' in html
    assert "<blockquote>" in html


@pytest.mark.parametrize("role", [ADMIN])
def test_admin_content_page_lists_the_shipped_weeks(client, login, admin, role):
    login(client, admin)
    html = client.get("/course/modules").get_data(as_text=True)
    assert html.count("As shipped") == 8


def test_an_edit_that_drops_a_safety_paragraph_is_refused_with_the_text_kept(
        client, login, admin):
    login(client, admin)
    typed = "## Our week two\n\nA short reading of our own, with no safety note."
    response = client.post("/course/modules/2/edit", data={
        "title": "", "intention": "", "reading": typed, "reflection": "", "home_practice": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your reading leaves out one of our safety paragraphs, and they must stay" in html
    assert "begins \u201cLast week we talked about backdraft" in html  # where it begins
    assert "A short reading of our own, with no safety note." in html  # what was typed
    assert db.session.scalar(select(OrgModule)) is None  # nothing saved
    # Kept word for word (moved, re-wrapped, curly quotes or not), it is accepted.
    block = WEEK_2_SAFETY[0]
    moved = block.replace(". ", ".\n") + "\n\n" + typed
    accepted = client.post("/course/modules/2/edit", data={
        "title": "", "intention": "", "reading": moved, "reflection": "", "home_practice": ""})
    assert accepted.status_code == 302
    # An empty reading keeps ours, safety paragraphs included.
    assert client.post("/course/modules/1/edit", data={
        "title": "Hello", "intention": "", "reading": "", "reflection": "",
        "home_practice": ""}).status_code == 302


def test_a_week_one_edit_must_keep_the_not_therapy_and_suitability_notes(client, login, admin):
    login(client, admin)
    reading = load_curriculum()[1].reading
    without = reading.replace(load_curriculum()[1].protected[1], "")
    response = client.post("/course/modules/1/edit", data={
        "title": "", "intention": "", "reading": without, "reflection": "",
        "home_practice": ""})
    assert response.status_code == 400
    assert "Is now the right time?" in response.get_data(as_text=True)


def test_text_saved_before_the_protection_still_shows_the_safety_paragraphs(
        signed_in, admin, travel):
    travel(at(2026, 4, 1, 12))  # week 5
    db.session.add(OrgModule(org_id=admin.org_id, week=5, reading="Only our own words."))
    db.session.commit()
    html = signed_in.get("/course/weeks/5").get_data(as_text=True)
    assert "Only our own words." in html
    assert "a union or staff representative" in html and "(EAP)" in html


def test_every_shipped_week_with_a_not_therapy_note_protects_it():
    weeks = load_curriculum()
    for week in weeks.values():
        for paragraph in week.reading.split("\n\n"):
            if "not therapy" in paragraph or "not a substitute for professional" in paragraph:
                assert any(paragraph.strip() in f"<!-- safety -->\n{b}\n<!-- /safety -->"
                           for b in week.protected), (week.week, paragraph[:60])
    assert any("trauma" in b and "therapist or doctor" in b for b in weeks[1].protected)
