"""HR moves an invited person into a draft cohort: the move page says what will happen,
and the draft's roster tells the truth about their invitation."""
import datetime as dt

from tests.surveys.helpers import visible_text as visible
from wellbeing.cohorts.models import INVITED, Enrollment
from wellbeing.extensions import db
from wellbeing.notifications.models import SENT
from wellbeing.notifications.service import queue_email

from .helpers import messages


def test_moving_an_invited_person_into_a_draft_is_explained_and_shown_truthfully(
        client, login, admin, participant, make_cohort, enroll, org):
    source = make_cohort(org=org, start=dt.date(2030, 3, 4), name="March")
    draft = make_cohort(org=org, start=dt.date(2030, 5, 6), name="Next intake")
    draft.published_at = None
    enrollment = enroll(participant, source, status=INVITED)
    invitation = queue_email(
        org_id=org.id, dedupe_key=f"invitation:{enrollment.id}", kind="invitation",
        to_email=participant.email, subject="You're invited", template="invitation",
        user=participant, link="x", minutes=60, cohort=source, enrollment_id=enrollment.id,
        cohort_id=source.id)
    invitation.status, invitation.sent_at = SENT, dt.datetime(2026, 12, 2, 17, 13, tzinfo=dt.UTC)
    db.session.commit()
    login(client, admin)
    move_url = f"/cohorts/{source.id}/enrollments/{enrollment.id}/move"
    page = visible(client.get(move_url).get_data(as_text=True))
    assert "Next intake (draft, starts 06 May 2030" in page
    assert ("“Next intake” is a draft. Nobody can join a draft yet. If you move "
            f"{participant.name} to it, nothing is sent now: the invitation they already have "
            "still signs them in") in page
    assert "When you publish the draft, they get an email saying their course has " \
        "changed" in page
    done = visible(client.post(move_url, data={"target": draft.id}, follow_redirects=True)
                   .get_data(as_text=True))
    assert "moved to “Next intake”, a draft: they get an email about it when you publish" in done

    login(client, participant)  # signs in; a draft cannot be joined yet
    assert db.session.get(Enrollment, enrollment.id).status == INVITED
    login(client, admin)
    roster = visible(client.get(f"/cohorts/{draft.id}").get_data(as_text=True))
    assert "Not invited yet" not in roster
    assert ("Invited before the move; told about this cohort when you publish it "
            "Earlier invitation delivered to the mail server 02 Dec, 17:13") in roster
    client.post(f"/cohorts/{draft.id}/publish")
    assert len(messages("moved", to_email=participant.email)) == 1  # as the page promised
