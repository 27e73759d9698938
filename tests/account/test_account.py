"""A participant downloads all their data and deletes their account."""
import datetime as dt
import json

import pytest
import time_machine
from sqlalchemy import func, select

from tests.surveys.helpers import (
    BEFORE_START,
    IN_WEEK_1,
    START,
    default_answers,
    is_checked,
    release_everything,
)
from wellbeing.audit.models import AuditEvent
from wellbeing.auth.models import LoginToken, User
from wellbeing.cohorts.models import Cohort, Enrollment
from wellbeing.core.personal_data import register_exporter
from wellbeing.course.models import ModuleProgress
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage
from wellbeing.surveys import service
from wellbeing.surveys.models import SealedAnswers, SurveyCompletion, SurveyResponse


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _answered(make_cohort, enroll, person, org, pss=None):
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        enrollment = enroll(person, cohort)
    answers = {code: dict(enumerate(v, start=1))
               for code, v in default_answers(pss=pss).items()}
    assert service.submit_wave(enrollment, "pre", answers, IN_WEEK_1)
    return enrollment


def test_download_holds_profile_enrollments_and_own_answers_only(
        client, login, make_cohort, make_user, enroll, participant, org):
    enrollment = _answered(make_cohort, enroll, participant, org, pss=[3] * 10)
    _answered(make_cohort, enroll, make_user(org=org), org, pss=[0] * 10)
    db.session.add(ModuleProgress(org_id=org.id, enrollment_id=enrollment.id,
                                  cohort_id=enrollment.cohort_id, week=1,
                                  completed_on=START))
    db.session.commit()
    login(client, participant)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["email"] == "pat@acme.example.com"
    assert [e["cohort"] for e in data["enrollments"]] == [enrollment.cohort.name]
    assert data["module_progress"] == [{"cohort_id": enrollment.cohort_id, "week": 1,
                                        "completed_on": "2026-03-02"}]
    # When they answered is kept nowhere (docs/privacy.md), so the download has no date.
    assert data["survey_completions"] == [{"cohort_id": enrollment.cohort_id, "wave": "pre"}]
    answers = {a["instrument"]: a for a in data["survey_answers"]}
    assert set(answers) == {"SCS-SF", "PSS-10"}
    assert answers["PSS-10"]["answers"]["1"] == 3 and answers["PSS-10"]["scores"]["total"] == 22
    assert set(answers["PSS-10"]) == {"cohort", "wave", "instrument", "answers", "scores"}
    release_everything()  # written to the answer table, they are still found
    again = json.loads(client.get("/account/data.json").data)
    assert again["survey_answers"] == data["survey_answers"]


def test_other_areas_can_add_to_the_download(client, login, participant, monkeypatch):
    from wellbeing.core import personal_data
    monkeypatch.setattr(personal_data, "EXPORTERS", list(personal_data.EXPORTERS))
    register_exporter("extra")(lambda user: [{"title": f"Something for {user.name}"}])
    login(client, participant)
    data = json.loads(client.get("/account/data.json").data)
    assert data["extra"] == [{"title": "Something for Pat Participant"}]


def test_the_download_holds_the_persons_mail_preferences(client, login, participant):
    from wellbeing.reminders.models import MailPreference
    login(client, participant)
    assert json.loads(client.get("/account/data.json").data)["mail_preferences"] == {
        "default": True}
    db.session.add(MailPreference(user_id=participant.id, nudges=False,
                                  quiet_start=dt.time(21, 30), quiet_end=dt.time(7, 0)))
    db.session.commit()
    prefs = json.loads(client.get("/account/data.json").data)["mail_preferences"]
    assert prefs["nudges"] is False and prefs["quiet_start"] == "21:30:00"
    assert prefs["quiet_end"] == "07:00:00" and prefs["week_opened"] is True


def test_download_holds_own_journal_practice_log_and_opened_modules(
        client, login, make_cohort, make_user, enroll, participant, org):
    from wellbeing.course import journal
    from wellbeing.course.models import ModuleOpened, PracticeLog, PracticeMark
    mine = _answered(make_cohort, enroll, participant, org)
    other_person = make_user(org=org)
    theirs = _answered(make_cohort, enroll, other_person, org)
    for enrollment, note in ((mine, "felt calmer"), (theirs, "not yours")):
        db.session.add(PracticeLog(org_id=org.id, enrollment_id=enrollment.id,
                                   cohort_id=enrollment.cohort_id, day=START,
                                   practice="soothing-touch", minutes=12, note=note))
        db.session.add(ModuleOpened(org_id=org.id, enrollment_id=enrollment.id,
                                    cohort_id=enrollment.cohort_id, week=1,
                                    opened_on=START))
        db.session.add(PracticeMark(org_id=org.id, enrollment_id=enrollment.id,
                                    slug="self-compassion-break", first_opened_on=START,
                                    favourite=enrollment is mine))
    journal.write(participant, "A kind word to myself", START, week=1)
    journal.write(other_person, "Someone else's page", START)
    db.session.commit()
    login(client, participant)
    data = json.loads(client.get("/account/data.json").data)
    assert data["journal"] == [{"written_on": "2026-03-02", "week": 1,
                                "text": "A kind word to myself"}]
    assert data["practice_log"] == [{"cohort_id": mine.cohort_id, "day": "2026-03-02",
                                     "practice": "soothing-touch", "minutes": 12,
                                     "note": "felt calmer"}]
    assert data["modules_opened"] == [{"cohort_id": mine.cohort_id, "week": 1,
                                       "opened_on": "2026-03-02"}]
    assert [m["to"] for m in data["emails"]] == [participant.email]  # the invitation
    assert data["practices_opened"] == [{"cohort_id": mine.cohort_id,
                                         "slug": "self-compassion-break",
                                         "first_opened_on": "2026-03-02", "favourite": True}]


def test_delete_account_keeping_answers(client, login, make_cohort, enroll, participant, org):
    cohort_id = _answered(make_cohort, enroll, participant, org).cohort_id
    login(client, participant)
    response = client.post("/account/delete", data={"answers": "keep", "confirm": "y"})
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your account has been deleted." in page
    assert "anonymous survey answers were kept" in page
    assert db.session.get(User, participant.id) is None
    assert _count(Enrollment) == 0 and _count(SurveyCompletion) == 0
    assert _count(LoginToken) == 0
    assert _count(OutboxMessage, OutboxMessage.to_email == "pat@acme.example.com") == 0
    assert _count(SealedAnswers, SealedAnswers.cohort_id == cohort_id) == 1
    release_everything()  # kept answers are written when the wave closes, like anyone's
    assert _count(SurveyResponse, SurveyResponse.cohort_id == cohort_id) == 2
    event = db.session.scalar(select(AuditEvent).filter_by(action="account.deleted"))
    assert event is not None and "pat" not in event.summary.lower()
    assert client.get("/surveys/").status_code == 302  # signed out


def test_a_deleted_persons_id_is_never_given_to_someone_new(
        client, app, login, make_cohort, make_user, enroll, participant, org):
    """On SQLite a deleted row's id used to come back for the next row: the next person
    then matched the kept answers' pairing key and the deleted person's session cookie."""
    from sqlalchemy import func
    enrollment = _answered(make_cohort, enroll, participant, org)
    cohort, old_ids = enrollment.cohort, (participant.id, enrollment.id)
    assert participant.id == db.session.scalar(select(func.max(User.id)))  # the newest row
    other_device = login(app.test_client(), participant)
    login(client, participant)
    client.post("/account/delete", data={"answers": "keep", "confirm": "y"})

    newcomer = make_user(org=org, email="quinn@acme.example.com")
    with time_machine.travel(BEFORE_START, tick=False):
        joined = enroll(newcomer, cohort)
    assert newcomer.id != old_ids[0] and joined.id != old_ids[1]
    # The deleted person's other device is signed out, not signed in as the newcomer.
    assert other_device.get("/account/data.json").status_code == 302
    # The newcomer has no answers of anyone else's, and their own survey is stored.
    login(client, newcomer)
    assert json.loads(client.get("/account/data.json").data)["survey_answers"] == []
    answers = {code: dict(enumerate(v, start=1)) for code, v in default_answers().items()}
    assert service.submit_wave(joined, "pre", answers, IN_WEEK_1)


@pytest.mark.parametrize("wave_closed", [False, True], ids=["sealed", "written"])
def test_delete_account_with_answers_removes_only_theirs(
        client, login, make_cohort, make_user, enroll, participant, org, wave_closed):
    _answered(make_cohort, enroll, participant, org)
    other = _answered(make_cohort, enroll, make_user(org=org), org).cohort_id
    if wave_closed:
        release_everything()
    login(client, participant)
    client.post("/account/delete", data={"answers": "delete", "confirm": "y"})
    assert db.session.get(User, participant.id) is None
    assert db.session.scalars(select(SealedAnswers.cohort_id)).all() == (
        [] if wave_closed else [other])
    release_everything()
    remaining = db.session.scalars(select(SurveyResponse.cohort_id)).all()
    assert remaining == [other, other]


def test_delete_needs_a_choice_and_confirmation(client, login, participant):
    login(client, participant)
    response = client.post("/account/delete", data={"answers": "delete"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your account has not been deleted" in page
    assert "Tick the box to confirm" in page
    assert is_checked(page, "answers-1") and not is_checked(page, "answers-0")
    assert db.session.get(User, participant.id) is not None


def test_staff_can_download_but_not_delete_here(client, login, admin):
    login(client, admin)
    assert json.loads(client.get("/account/data.json").data)["survey_answers"] == []
    assert client.post("/account/delete", data={"answers": "keep", "confirm": "y"}
                       ).status_code == 403
    assert db.session.get(User, admin.id) is not None


def test_a_moved_persons_answers_stay_put_yet_remain_theirs(
        client, login, make_cohort, make_user, enroll, participant, admin, org):
    """Moved by HR after answering: no cohort's count changes (a change would tell HR
    who answered), yet their results, download and 'delete my answers too' still find
    the answers, also after a second move."""
    stressed = [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]  # PSS-10 total 40: support is offered
    enrollment = _answered(make_cohort, enroll, participant, org, pss=stressed)
    source = enrollment.cohort_id
    target = make_cohort(org=org, start=dt.date(2030, 3, 4)).id  # moves go to open cohorts
    third = make_cohort(org=org, start=dt.date(2030, 6, 3)).id
    counts = {c: service.respondent_counts(db.session.get(Cohort, c))["pre"]
              for c in (source, target, third)}
    login(client, admin)
    for frm, to in ((source, target), (target, third)):
        moved = client.post(f"/cohorts/{frm}/enrollments/{enrollment.id}/move",
                            data={"target": to})
        assert moved.status_code == 302
    assert {c: service.respondent_counts(db.session.get(Cohort, c))["pre"]
            for c in (source, target, third)} == counts == {source: 1, target: 0, third: 0}
    client.post("/signout")
    login(client, participant)
    download = json.loads(client.get("/account/data.json").data)
    assert {a["instrument"] for a in download["survey_answers"]} == {"SCS-SF", "PSS-10"}
    results = client.get("/surveys/results").get_data(as_text=True)
    assert "Support is available" in results  # their own PSS-10 answers, found again
    client.post("/account/delete", data={"answers": "delete", "confirm": "y"})
    assert _count(SurveyResponse) == 0
