"""Weeks open by the cohort schedule, stay open, and a locked week says when it opens."""
import datetime as dt

from sqlalchemy import select

from wellbeing.cohorts.models import WITHDRAWN
from wellbeing.course.models import ModuleProgress
from wellbeing.extensions import db

from .conftest import START, at

WEEK3_OPENS = at(2026, 3, 16, 9, 0)  # 09:00 in London, still GMT
WEEK5_OPENS = at(2026, 3, 30, 8, 0)  # 09:00 in London after the clocks go forward


def test_week_opens_exactly_at_the_release_instant(signed_in, travel):
    travel(WEEK3_OPENS - dt.timedelta(seconds=1))
    early = signed_in.get("/course/weeks/3")
    assert early.status_code == 403
    assert b"Week 3 is not open yet" in early.data
    assert b"Mon 16 Mar 2026, 09:00 London" in early.data
    assert b"Words of goodwill" not in early.data  # no content before it opens
    travel(WEEK3_OPENS)
    page = signed_in.get("/course/weeks/3")
    assert page.status_code == 200
    assert b"Words of goodwill" in page.data
    assert b"Goodwill for the people in your day" in page.data


def test_release_follows_local_time_across_the_clock_change(signed_in, travel):
    travel(WEEK5_OPENS - dt.timedelta(minutes=1))
    assert signed_in.get("/course/weeks/5").status_code == 403
    travel(WEEK5_OPENS)
    assert signed_in.get("/course/weeks/5").status_code == 200


def test_locked_week_shows_the_opening_in_the_participants_own_zone(
        signed_in, participant, travel):
    participant.timezone = "America/New_York"
    db.session.commit()
    travel(at(2026, 3, 17, 12))
    page = signed_in.get("/course/weeks/4")
    assert page.status_code == 403
    assert b"Mon 23 Mar 2026, 05:00 New York" in page.data
    home = signed_in.get("/course/")
    assert b"Opens Mon 23 Mar 2026, 05:00 New York" in home.data


def test_opened_weeks_stay_open_when_the_cohort_moves_later(signed_in, cohort, travel):
    travel(at(2026, 3, 17, 12))
    assert signed_in.get("/course/weeks/3").status_code == 200
    cohort.start_date = START + dt.timedelta(days=14)  # HR pushes the course back
    db.session.commit()
    assert signed_in.get("/course/weeks/3").status_code == 200  # opened before: stays
    assert signed_in.get("/course/weeks/2").status_code == 403  # never opened: waits


def test_week_outside_the_course_is_not_found(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    assert signed_in.get("/course/weeks/9").status_code == 404
    assert signed_in.get("/course/weeks/0").status_code == 404
    assert signed_in.get("/course/weeks/1/practices/no-such-practice").status_code == 404
    # A practice from a later week is not reachable through an open week either.
    assert signed_in.get("/course/weeks/1/practices/savouring-walk").status_code == 404


def test_home_shows_this_week_progress_and_minutes(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    home = signed_in.get("/home", follow_redirects=True)
    text = home.get_data(as_text=True)
    assert "This week: Words of goodwill" in text
    assert "0 of 8 weeks completed" in text
    assert "Opens Mon 23 Mar 2026, 09:00 London" in text
    assert 'class="big-number">0 <span>minutes' in text
    signed_in.post("/course/practice", data={"day": "2026-03-16", "practice": "other",
                                              "minutes": "25"})
    signed_in.post("/course/practice", data={"day": "2026-03-15", "practice": "other",
                                              "minutes": "40"})  # last week: not counted
    assert 'class="big-number">25 <span>minutes' in signed_in.get("/course/").get_data(
        as_text=True)


def test_before_the_course_starts_home_says_when(signed_in, travel):
    travel(at(2026, 2, 20, 12))
    text = signed_in.get("/course/").get_data(as_text=True)
    assert "Your course starts soon" in text
    assert "Week 1 opens on Mon 02 Mar 2026, 09:00 London" in text


def test_marking_complete_records_the_participants_local_date(
        signed_in, participant, enrolled, travel):
    participant.timezone = "Pacific/Auckland"  # already Tuesday there
    db.session.commit()
    travel(at(2026, 3, 16, 22, 0))
    response = signed_in.post("/course/weeks/3/complete", data={"done": "1"},
                              follow_redirects=True)
    assert b"Week 3 is marked complete" in response.data
    assert b"You marked this week complete on 17 March 2026" in response.data
    progress = db.session.scalar(select(ModuleProgress).filter_by(enrollment_id=enrolled.id))
    assert progress.completed_on == dt.date(2026, 3, 17)
    assert b"1 of 8 weeks completed" in signed_in.get("/course/").data
    signed_in.post("/course/weeks/3/complete", data={"done": "0"})
    assert db.session.scalar(select(ModuleProgress)) is None


def test_a_locked_week_cannot_be_completed(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    assert signed_in.post("/course/weeks/4/complete", data={"done": "1"}).status_code == 403
    assert db.session.scalar(select(ModuleProgress)) is None


def test_the_most_recent_current_enrollment_is_used(
        client, login, participant, org, make_cohort, enroll, travel):
    old = make_cohort(org=org, start=dt.date(2025, 9, 1), name="Autumn")
    new = make_cohort(org=org, start=START, name="Spring")
    later = make_cohort(org=org, start=dt.date(2026, 6, 1), name="Summer")
    enroll(participant, old)
    enroll(participant, new)
    enroll(participant, later, status=WITHDRAWN)
    travel(at(2026, 3, 17, 12))
    login(client, participant)
    assert b"Spring" in client.get("/course/").data


def test_withdrawn_participant_is_told_kindly(client, login, participant, cohort, enroll):
    enroll(participant, cohort, status=WITHDRAWN)
    login(client, participant)
    page = client.get("/course/")
    assert page.status_code == 200
    assert b"No course for you right now" in page.data
    assert client.get("/course/weeks/1").status_code == 200  # the same kind page
    assert b"No course for you right now" in client.get("/course/weeks/1").data


def test_staff_have_no_participant_course_pages(client, login, admin):
    login(client, admin)
    assert client.get("/course/").status_code == 403
    assert client.get("/course/practice").status_code == 403


def test_practice_page_has_player_steps_with_pauses_and_backdraft_note(signed_in, travel):
    travel(at(2026, 3, 17, 12))
    text = signed_in.get("/course/weeks/1/practices/self-compassion-break").get_data(
        as_text=True)
    assert "About <strong>5 minutes</strong>, or a 2-minute or 6-minute version" in text
    assert "Before you begin" in text and "difficult feelings can sometimes surface" in text
    assert 'href="/course/practices/soles-of-the-feet"' in text
    assert 'id="player"' in text and "js/practice-player.js" in text
    assert "breathing-pacer.js" not in text  # no pacer for this one
    # Every step is there without JavaScript, with its pause for both versions.
    assert text.count("<li data-short=") == 7
    assert '<li data-short="16" data-long="49">Bring to mind something' in text
    assert 'href="/course/pocket/self-compassion-break"' in text
    calm = signed_in.get("/course/weeks/1/practices/supportive-touch").get_data(as_text=True)
    assert "Before you begin" not in calm


def test_a_locked_next_week_is_not_a_link_but_says_when_it_opens(signed_in, travel):
    travel(at(2026, 3, 17, 12))  # in week 3
    text = signed_in.get("/course/weeks/3").get_data(as_text=True)
    pager = text.split('aria-label="Weeks"')[1].split("</nav>")[0]
    assert 'href="/course/weeks/4"' not in pager
    assert "Week 4 opens Mon 23 Mar, 09:00 London" in pager
    assert 'href="/course/weeks/2">← Week 2</a>' in pager
    earlier = signed_in.get("/course/weeks/2").get_data(as_text=True)  # next week is open
    assert 'href="/course/weeks/3">Week 3 →</a>' in earlier
    assert "Week 3 opens" not in earlier
    travel(at(2026, 4, 20, 12))  # week 8 is the last one: nothing after it
    last = signed_in.get("/course/weeks/8").get_data(as_text=True)
    assert "Week 9" not in last


def _another_request_stores_it_first(model, **values):
    """Just before this request's INSERT into `model`'s table, another connection (a
    second tab, a double-click) stores the same row and commits: the race two at once
    produce, made to happen every time."""
    from sqlalchemy import event, insert
    table, raced = model.__table__.name, []

    def race(conn, cursor, statement, parameters, context, executemany):
        if not raced and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            raced.append(True)
            with db.engine.connect() as other:
                other.execute(insert(model).values(**values))
                other.commit()
    event.listen(db.engine, "before_cursor_execute", race)
    return lambda: event.remove(db.engine, "before_cursor_execute", race)


def test_two_tabs_completing_and_opening_a_week_at_once_both_succeed(
        signed_in, enrolled, travel):
    from wellbeing.course.models import ModuleOpened
    travel(at(2026, 3, 17, 12))
    row = {"org_id": enrolled.org_id, "enrollment_id": enrolled.id,
           "cohort_id": enrolled.cohort_id, "week": 3}
    stop = _another_request_stores_it_first(ModuleProgress, completed_on=START, **row)
    try:
        response = signed_in.post("/course/weeks/3/complete", data={"done": "1"})
    finally:
        stop()
    assert response.status_code == 302
    assert len(db.session.scalars(select(ModuleProgress)).all()) == 1
    stop = _another_request_stores_it_first(ModuleOpened, opened_on=START, **row)
    try:
        assert signed_in.get("/course/weeks/3").status_code == 200
    finally:
        stop()
    assert len(db.session.scalars(select(ModuleOpened)).all()) == 1
