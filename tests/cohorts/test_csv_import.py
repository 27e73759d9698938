"""CSV enrollment: every row checked and explained, nothing written before HR confirms,
then everything at once (users, enrollments, invitations) or nothing."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.surveys.helpers import visible_text as visible
from wellbeing.auth.models import ADMIN, FACILITATOR, PARTICIPANT, User
from wellbeing.cohorts.models import INVITED, Enrollment, EnrollmentImport
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage

from .helpers import count, enrollments, invitations, link_in, preview_url, upload


@pytest.fixture
def cohort(make_cohort, org):
    return make_cohort(org=org, name="Spring", start=dt.date(2030, 3, 4), capacity=6)


@pytest.fixture
def hr(client, login, admin):
    return login(client, admin)


BAD = """email,name,department,time zone
ana@acme.example.com,Ana Silva,Finance,Europe/Lisbon
not-an-email,Bo Berg,IT,
ana@ACME.example.com,Ana Again,Finance,
pat@acme.example.com,Pat Participant,,
cy@acme.example.com,Cy Young,,Mars/Olympus
dee@acme.example.com
hr@acme.example.com,Hana as participant,,
"""


def test_preview_explains_every_bad_row_and_writes_nothing(hr, cohort, participant, enroll):
    enroll(participant, cohort)
    users_before = count(User)
    response = hr.get(preview_url(upload(hr, cohort, BAD)))
    page = response.get_data(as_text=True)
    assert "7 rows checked:" in page and "6 with problems" in page
    assert "bad email address “not-an-email”" in page
    assert "duplicate: same email as line 2" in page
    assert "already enrolled in this cohort" in page
    assert "unknown time zone “Mars/Olympus”" in page
    assert "missing column: this row has no name" in page
    assert "this address belongs to a staff account" in page
    assert "Ready: new account" in page  # Ana's first row is fine
    assert "Import" not in page.split("Every row")[0].split("Nothing has been imported")[0]
    assert "Upload the corrected file" in page
    assert count(User) == users_before and len(enrollments(cohort)) == 1
    assert invitations() == []
    # Confirming anyway (a hand-made POST) imports nothing.
    confirm = hr.post(preview_url(upload(hr, cohort, BAD)))
    assert confirm.status_code == 409 and count(User) == users_before


def test_capacity_is_checked_row_by_row(hr, cohort, make_user, enroll, org):
    for _ in range(4):
        enroll(make_user(PARTICIPANT, org=org), cohort, status=INVITED)
    rows = "\n".join(f"p{n}@acme.example.com,Person {n}" for n in range(4))
    page = hr.get(preview_url(upload(hr, cohort, "email,name\n" + rows))).get_data(as_text=True)
    assert page.count("Ready: new account") == 2
    assert "2 with problems" in page
    problems = page.split("<caption>Rows with problems")[1].split("Every row")[0]
    assert problems.count("over capacity: the cohort has 6 places") == 2
    assert "p2@acme.example.com" in problems and "p3@acme.example.com" in problems
    # Says how to fix it, not "fix the rows below": the rows themselves are fine.
    text = visible(page)
    assert ("The cohort has 6 places, 4 are taken, and this file would add 4 people: "
            "2 do not fit.") in text
    assert "raise the cohort's capacity to at least 8" in text
    assert "remove 2 rows from the file" in text and "Fix the 2 rows below" not in text


def test_columns_not_read_and_other_languages_are_reported(hr, cohort):
    text = ("email,name,locale,employee id,cost centre\n"
            "ana@acme.example.com,Ana Silva,pt-PT,77,A1\n"
            "bo@acme.example.com,Bo Berg,en-GB,78,A2\n")
    page = visible(hr.get(preview_url(upload(hr, cohort, text))).get_data(as_text=True))
    assert "the columns “employee id”, “cost centre” are not used by Wellbeing" in page
    assert "1 person has a language other than English in the locale column" in page
    assert "they will get English" in page


def test_hr_downloads_a_template_with_the_columns_read(hr, cohort):
    response = hr.get(f"/cohorts/{cohort.id}/enroll/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "email,name,department,time zone"
    assert len(lines) == 2 and "@" in lines[1]
    enroll_page = hr.get(f"/cohorts/{cohort.id}/enroll").get_data(as_text=True)
    assert f"/cohorts/{cohort.id}/enroll/template.csv" in enroll_page
    # The template's file imports as it is.
    page = hr.get(preview_url(upload(hr, cohort, "\n".join(lines) + "\n"))).get_data(
        as_text=True)
    assert "1 ready" in page


@pytest.mark.parametrize("text, name", [
    ("\ufeffemail;name;locale\r\nli@acme.example.com;Li, Wei;zh-CN\r\n", "bom-semicolon.csv"),
    ('Email,Full name\nli@acme.example.com,"Li, Wei"\n', "quoted.csv"),
])
def test_bom_semicolons_and_quotes_are_read(hr, cohort, text, name):
    page = hr.get(preview_url(upload(hr, cohort, text, name))).get_data(as_text=True)
    assert "1 row checked:" in page and "0 with problems" in page
    assert "Li, Wei" in page


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00binary", "This is an Excel workbook or zip file"),
    ("email,name\nzoë@x.com,Zoë\n".encode("utf-16"), "not plain UTF-8 text"),
    ("email,name\nrene@acme.example.com,René\n".encode("latin-1"),
     "line 2 has a character UTF-8 does not allow"),
    (b"mail address,full name\n", "Missing column: email"),
    (b"email,surname\na@b.com,X\n", "Missing column: name"),
    (b"address,who\na@b.com,X\n", "Missing columns: email and name"),
    (b"email,name\n", "has a header row but no people"),
    (b",,\n,,\n", "only empty cells"),
    # One stray NUL far into a long file, past where the binary check looks.
    (b"email,name\n" + b"".join(b"p%d@acme.example.com,Person %d\n" % (n, n)
                                for n in range(200)) + b"nul@acme.example.com,Bad\x00Name\n",
     "Line 202 holds an invisible NUL character"),
])
def test_unreadable_files_get_a_clear_message_on_the_upload_page(hr, cohort, data, message):
    response = upload(hr, cohort, data, name="staff.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "staff.csv" in page
    assert count(EnrollmentImport) == 0


def test_no_file_chosen_is_named(hr, cohort):
    response = hr.post(f"/cohorts/{cohort.id}/imports", data={},
                       content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


GOOD = """email,name,department,locale,time zone
ana@acme.example.com,Ana Silva,Finance,pt-PT,europe/lisbon
bo@acme.example.com,Bo Berg,IT,,
pat@acme.example.com,Pat Participant,,,
"""


def test_confirm_imports_everyone_and_queues_one_invitation_each(hr, cohort, participant,
                                                                 client, app):
    url = preview_url(upload(hr, cohort, GOOD))
    assert "Ready: existing account" in hr.get(url).get_data(as_text=True)
    assert count(Enrollment) == 0
    done = hr.post(url, follow_redirects=True)
    assert "3 people enrolled from people.csv; 3 invitations are on their way" in \
        done.get_data(as_text=True)
    ana = db.session.scalar(select(User).filter_by(email="ana@acme.example.com"))
    assert (ana.role, ana.department, ana.locale, ana.timezone) == \
        (PARTICIPANT, "Finance", "pt-PT", "Europe/Lisbon")
    rows = enrollments(cohort)
    assert {e.status for e in rows} == {INVITED} and len(rows) == 3
    sent = invitations()
    assert sorted(m.dedupe_key for m in sent) == sorted(f"invitation:{e.id}" for e in rows)
    assert {m.to_email for m in sent} == {"ana@acme.example.com", "bo@acme.example.com",
                                          "pat@acme.example.com"}
    assert "Spring" in sent[0].body_text and "Hello Ana Silva" in sent[0].body_text
    # Confirming twice (double click, back button) imports once.
    again = hr.post(url)
    assert again.status_code == 409 and "already been imported" in again.get_data(as_text=True)
    assert count(Enrollment) == 3
    # The upload's names and addresses are not kept once the people are enrolled.
    assert "ana@acme.example.com" not in hr.get(url).get_data(as_text=True)
    assert "ana@acme" not in db.session.scalar(select(EnrollmentImport.payload))
    # The invitation link signs Ana in and lands on her cohort's welcome page.
    hr.post("/signout")
    landed = client.post(link_in(sent[0]))
    assert landed.headers["Location"] == f"/welcome/{cohort.id}"
    assert "You have joined" in client.get(landed.headers["Location"]).get_data(as_text=True)


def test_bulk_invitation_reads_like_a_single_one(hr, cohort):
    hr.post(f"/cohorts/{cohort.id}/enroll", data={"one-email": "solo@acme.example.com",
                                                  "one-name": "Solo Person"})
    hr.post(preview_url(upload(hr, cohort, "email,name\nbulk@acme.example.com,Bulk Person\n")))
    single, bulk = invitations()
    assert single.subject == bulk.subject

    def normalised(body, name):
        return re.sub(r"/signin/link/[\w-]+", "/signin/link/TOKEN", body).replace(name, "NAME")
    assert normalised(single.body_text, "Solo Person") == normalised(bulk.body_text, "Bulk Person")
    assert normalised(single.body_html, "Solo Person") == normalised(bulk.body_html, "Bulk Person")


def test_changes_between_preview_and_confirm_are_caught(hr, cohort, make_user, enroll, org):
    url = preview_url(upload(hr, cohort, GOOD))
    bo = make_user(PARTICIPANT, org=org, email="bo@acme.example.com")
    enroll(bo, cohort)  # someone else enrolled Bo meanwhile
    response = hr.post(url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Something changed since you checked this file" in page
    assert "already enrolled in this cohort" in page
    assert len(enrollments(cohort)) == 1 and invitations() == []


def test_import_is_all_or_nothing_when_a_write_fails(hr, cohort, monkeypatch):
    from wellbeing.cohorts import enrollment

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while queueing invitations")
    monkeypatch.setattr(enrollment, "invite_many", broken)
    url = preview_url(upload(hr, cohort, GOOD))
    response = hr.post(url)
    assert response.status_code == 500
    db.session.rollback()
    assert count(Enrollment) == 0 and invitations() == []
    assert db.session.scalar(select(User).filter_by(email="ana@acme.example.com")) is None
    assert db.session.scalar(select(EnrollmentImport)).confirmed_at is None
    monkeypatch.undo()
    assert hr.post(url).status_code == 302 and count(Enrollment) == 3  # and it can be retried


def test_another_orgs_account_does_not_show_and_staff_addresses_are_refused(
        hr, cohort, make_user, org):
    elsewhere = make_user(PARTICIPANT, email="elsewhere@other.example.com")
    make_user(FACILITATOR, email="fac@acme.example.com", org=org)
    url = preview_url(upload(hr, cohort, "email,name\nelsewhere@other.example.com,E\n"
                                         "fac@acme.example.com,F\n"))
    page = hr.get(url).get_data(as_text=True)
    # Another organisation's account is theirs: here the address is simply a new person,
    # so HR learns nothing about it and cannot take it from them.
    elsewhere_row = page.split("elsewhere@other.example.com")[-1].split("</tr>")[0]
    assert "Ready: new account" in elsewhere_row
    main = page.split("<main")[1]
    assert "another organisation" not in main and "can&#39;t be enrolled" not in main
    assert "this address belongs to a staff account" in page
    assert elsewhere.org_id != cohort.org_id


def test_previews_of_another_cohort_or_org_are_not_found(hr, cohort, make_cohort, make_user, org,
                                                         client, login):
    url = preview_url(upload(hr, cohort, GOOD))
    other = make_cohort(org=org)
    assert hr.get(url.replace(f"/cohorts/{cohort.id}/", f"/cohorts/{other.id}/")).status_code == 404
    hr.post("/signout")
    stranger = make_user(ADMIN)
    login(client, stranger)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert count(Enrollment) == 0


def test_add_one_person_shows_problems_in_the_form(hr, cohort, participant, enroll):
    enroll(participant, cohort)
    response = hr.post(f"/cohorts/{cohort.id}/enroll", data={
        "one-email": "pat@acme.example.com", "one-name": "Pat Again"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Already enrolled in this cohort." in page and 'value="Pat Again"' in page


def test_an_address_mail_relays_cannot_deliver_is_refused_with_the_reason(hr, cohort):
    """😀@… passes a plain syntax check but needs SMTPUTF8: its invitation would never
    arrive. Accented domains are fine (they have an ASCII form)."""
    response = hr.post(f"/cohorts/{cohort.id}/enroll", data={
        "one-email": "😀@acme.example.com", "one-name": "Smiley"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use only plain letters, digits and . _ - + before the @" in page
    assert 'value="😀@acme.example.com"' in page and 'value="Smiley"' in page
    preview = hr.get(preview_url(upload(hr, cohort, "email,name\nzoë@acme.example.com,Zoë\n"
                                                    "ana@bücher.example.com,Ana\n")))
    page = preview.get_data(as_text=True)
    assert "bad email address “zoë@acme.example.com”: use only plain letters" in page
    assert "1 with problems" in page and count(Enrollment) == 0


def test_withdrawn_person_can_be_invited_again(hr, cohort, participant, enroll):
    enrollment = enroll(participant, cohort)
    hr.post(f"/cohorts/{cohort.id}/enrollments/{enrollment.id}/withdraw")
    assert db.session.get(Enrollment, enrollment.id).status == "withdrawn"
    response = hr.post(f"/cohorts/{cohort.id}/enroll", data={
        "one-email": "pat@acme.example.com", "one-name": "Pat Participant"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrollment, enrollment.id).status == INVITED
    assert [m.to_email for m in invitations() if m.status == "pending"] == ["pat@acme.example.com"]


def test_messages_are_outbox_rows_only(hr, cohort):
    hr.post(preview_url(upload(hr, cohort, GOOD)))
    assert count(OutboxMessage) == 3 + 1  # three invitations and HR's own sign-in link


def test_large_file_preview_shows_counts_and_pages_of_rows(hr, make_cohort, org):
    big = make_cohort(org=org, start=dt.date(2030, 3, 4))
    rows = "\n".join(f"p{n}@acme.example.com,Person {n}" for n in range(1200))
    url = preview_url(upload(hr, big, "email,name\n" + rows + "\nbad,Bad Row\n"))
    first = hr.get(url).get_data(as_text=True)
    assert "1,201 rows checked:" in first and "1,200 ready" in first and "1 with problems" in first
    assert "Rows 1–500 of 1,201" in first and "p499@" in first and "p500@" not in first.split(
        "Every row")[1]
    assert "bad email address “bad”" in first  # problems are listed first, whatever page
    last = hr.get(url + "?page=3").get_data(as_text=True)
    assert "Rows 1001–1201 of 1,201" in last and "p1199@" in last


def test_hr_is_told_when_someone_is_already_in_a_current_course(hr, cohort, participant,
                                                                enroll, make_cohort, org):
    import time_machine

    from tests.surveys.helpers import visible_text
    with time_machine.travel(dt.datetime(2030, 1, 10, 12, tzinfo=dt.UTC), tick=False):
        running = make_cohort(org=org, name="Winter group", start=dt.date(2030, 1, 7))
        enroll(participant, running)
        page = visible_text(hr.get(preview_url(upload(hr, cohort, GOOD))).get_data(as_text=True))
        assert "Ready: existing account. Note: already in “Winter group” (running)" in page
        assert page.count("Note: already in") == 1  # the new people are in no course
        typed = {"one-email": participant.email, "one-name": participant.name,
                 "one-department": "Finance"}
        asked = hr.post(f"/cohorts/{cohort.id}/enroll", data=typed)
        text = asked.get_data(as_text=True)
        assert asked.status_code == 409  # asked before, not told after
        assert "Pat Participant is already in “Winter group” (running)" in text
        assert 'value="Finance"' in text and 'value="yes"' in text
        assert enrollments(cohort) == []
        added = hr.post(f"/cohorts/{cohort.id}/enroll", data=dict(typed, **{
            "one-also_ok": "yes"}))
    assert added.status_code == 302 and len(enrollments(cohort)) == 1


def test_previews_never_confirmed_are_deleted_after_a_day(hr, cohort):
    from wellbeing.cohorts.enrollment import purge_previews
    upload(hr, cohort, GOOD)
    created = db.session.scalar(select(EnrollmentImport.created_at))
    assert purge_previews(created + dt.timedelta(hours=23)) == 0
    assert purge_previews(created + dt.timedelta(hours=25)) == 1
    assert count(EnrollmentImport) == 0


def test_a_file_over_the_size_limit_is_explained_on_the_upload_form(hr, cohort, app,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    response = upload(hr, cohort, b"email,name\n" + b"x" * (3 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is larger than 2 MB" in page and 'type="file"' in page
    assert "up to 20,000 people and 2 MB" in hr.get(f"/cohorts/{cohort.id}/enroll").get_data(
        as_text=True)
