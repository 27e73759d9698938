"""Practices outside a week's page: grounding and the safety page from day one, pocket
forms, My practices and the credits; nothing opens before its week."""
import re

from sqlalchemy import select

from tests.course.conftest import at
from wellbeing.course.models import PracticeMark
from wellbeing.extensions import db


def test_grounding_and_the_too_much_page_are_there_before_week_two(signed_in, travel):
    travel(at(2026, 3, 3, 12))  # week 1; feet on the ground belongs to week 2
    assert signed_in.get("/course/weeks/2/practices/soles-of-the-feet").status_code == 403
    grounding = signed_in.get("/course/practices/soles-of-the-feet")
    assert grounding.status_code == 200
    assert "Feet on the ground" in grounding.get_data(as_text=True)
    page = signed_in.get("/course/too-much").get_data(as_text=True)
    assert "Stop the practice" in page and "Is this the right time for you?" in page
    assert "employee assistance programme" in page
    home = signed_in.get("/course/").get_data(as_text=True)
    assert 'href="/course/too-much"' in home
    assert 'href="/course/practices/soles-of-the-feet"' in home


def test_grounding_is_there_even_before_the_course_starts(signed_in, travel):
    travel(at(2026, 2, 20, 12))
    assert signed_in.get("/course/practices/soles-of-the-feet").status_code == 200
    assert signed_in.get("/course/too-much").status_code == 200
    assert signed_in.get("/course/practices/self-compassion-break").status_code == 404


def test_a_practice_of_a_week_not_yet_open_is_not_found_by_name(signed_in, travel):
    travel(at(2026, 3, 3, 12))
    assert signed_in.get("/course/practices/self-compassion-break").status_code == 200
    assert signed_in.get("/course/practices/critic-to-coach").status_code == 404
    assert signed_in.get("/course/pocket/a-kind-nudge").status_code == 404
    assert signed_in.get("/course/practices/no-such-thing").status_code == 404


def test_pocket_forms_are_two_taps_from_home(signed_in, travel):
    travel(at(2026, 4, 14, 12))  # week 7: weeks 1, 4 and 6 are open
    home = signed_in.get("/course/").get_data(as_text=True)
    for slug in ("self-compassion-break", "a-kind-nudge", "five-step-pause"):
        assert f'href="/course/pocket/{slug}"' in home
    text = signed_in.get("/course/pocket/five-step-pause").get_data(as_text=True)
    assert "Let be: this is here for now" in text
    assert 'id="player"' not in text and "practice-player.js" not in text  # no timer
    assert signed_in.get("/course/pocket/supportive-touch").status_code == 404  # none


def test_imagery_practices_offer_eyes_open_and_a_way_out(signed_in, travel):
    travel(at(2026, 4, 14, 12))
    for slug in ("a-safe-place", "compassionate-companion"):
        text = signed_in.get(f"/course/weeks/7/practices/{slug}").get_data(as_text=True)
        assert "Before you begin" in text and "You can keep your eyes open." in text
        assert "You can leave at any moment" in text


def test_breathing_practices_have_the_pacer(signed_in, travel):
    travel(at(2026, 3, 10, 12))
    text = signed_in.get("/course/weeks/2/practices/affectionate-breathing").get_data(
        as_text=True)
    assert 'id="pacer"' in text and 'data-rate="5.5"' in text
    assert "js/breathing-pacer.js" in text
    assert "breathing-pacer" not in signed_in.get(
        "/course/weeks/2/practices/loosening-the-grip").get_data(as_text=True)


def library_titles(client) -> tuple[list[str], str]:
    """Titles of the opened practices in the order My practices lists them, and the rest."""
    html = client.get("/course/my-practices").get_data(as_text=True)
    opened, _, rest = html.partition("Open to you, not tried yet")
    return re.findall(r'<h2><a href="/course/practices/[a-z-]+">([^<]+)</a>', opened), rest


def test_my_practices_holds_what_was_opened_with_favourites_first(signed_in, travel):
    travel(at(2026, 3, 10, 12))  # week 2
    opened, rest = library_titles(signed_in)
    assert opened == [] and "Breathing with kindness" in rest
    for path in ("/course/weeks/1/practices/self-compassion-break",
                 "/course/weeks/2/practices/affectionate-breathing",
                 "/course/practices/soles-of-the-feet"):
        assert signed_in.get(path).status_code == 200
    opened, rest = library_titles(signed_in)
    assert opened == ["The self-compassion break", "Feet on the ground",
                      "Breathing with kindness"]  # course order
    assert "Breathing with kindness" not in rest and "Loosening the grip" in rest
    signed_in.post("/course/my-practices/affectionate-breathing/favourite", data={"keep": "1"})
    opened, _ = library_titles(signed_in)
    assert opened[0] == "Breathing with kindness"
    page = signed_in.get("/course/practices/affectionate-breathing").get_data(as_text=True)
    assert "In your favourites: remove" in page
    signed_in.post("/course/my-practices/affectionate-breathing/favourite", data={"keep": "0"})
    assert library_titles(signed_in)[0][0] == "The self-compassion break"
    # Kept from a week's page, the person stays in that week.
    kept = signed_in.post("/course/my-practices/affectionate-breathing/favourite",
                          data={"keep": "1", "week": "2"})
    assert kept.headers["Location"].endswith("/course/weeks/2/practices/affectionate-breathing")
    week_page = signed_in.get(kept.headers["Location"]).get_data(as_text=True)
    assert 'name="week" value="2"' in week_page and "In your favourites: remove" in week_page
    signed_in.post("/course/my-practices/affectionate-breathing/favourite", data={"keep": "0"})
    # A practice of a week not yet open cannot be made a favourite.
    assert signed_in.post("/course/my-practices/critic-to-coach/favourite",
                          data={"keep": "1"}).status_code == 404
    mine = db.session.scalars(select(PracticeMark)).all()
    assert {m.slug for m in mine} == {"self-compassion-break", "affectionate-breathing",
                                      "soles-of-the-feet"}


def test_week_eight_choices_become_the_favourites(signed_in, travel):
    travel(at(2026, 4, 22, 12))  # week 8
    for slug, week in (("self-compassion-break", 1), ("a-kind-nudge", 4),
                       ("savouring-walk", 8)):
        signed_in.get(f"/course/weeks/{week}/practices/{slug}")
    week8 = signed_in.get("/course/weeks/8").get_data(as_text=True)
    assert "Carry it forward" in week8 and 'value="a-kind-nudge"' in week8
    assert "Carry it forward" not in signed_in.get("/course/weeks/7").get_data(as_text=True)
    done = signed_in.post("/course/my-practices/carry-forward",
                          data={"keep": ["a-kind-nudge", "savouring-walk", "critic-to-coach"]},
                          follow_redirects=True).get_data(as_text=True)
    assert "You are carrying 2 practices forward" in done
    opened, _ = library_titles(signed_in)
    assert opened == ["A kind nudge", "A savouring walk", "The self-compassion break"]
    # Choosing again replaces the choice.
    signed_in.post("/course/my-practices/carry-forward", data={"keep": ["savouring-walk"]})
    assert library_titles(signed_in)[0][:2] == ["A savouring walk", "The self-compassion break"]


def test_my_practices_are_nobody_elses(signed_in, travel, org, app, login, admin,
                                       make_user, enroll, cohort):
    travel(at(2026, 3, 10, 12))
    signed_in.post("/course/my-practices/self-compassion-break/favourite", data={"keep": "1"})
    other = make_user(org=org)
    enroll(other, cohort)
    theirs = app.test_client()
    login(theirs, other)
    assert library_titles(theirs)[0] == []
    staff = app.test_client()
    login(staff, admin)
    assert staff.get("/course/my-practices").status_code == 403


def test_the_credits_page_names_the_sources(signed_in, travel):
    travel(at(2026, 3, 10, 12))
    credits = signed_in.get("/course/where-these-practices-come-from").get_data(as_text=True)
    assert "Kristin Neff" in credits and "Christopher Germer" in credits
    assert "Paul Gilbert" in credits
    assert 'href="/course/where-these-practices-come-from"' in signed_in.get(
        "/course/my-practices").get_data(as_text=True)


def test_the_welcome_page_says_who_the_course_may_not_suit(client, login, participant,
                                                          cohort, enroll):
    enroll(participant, cohort)
    login(client, participant)
    text = client.get(f"/welcome/{cohort.id}").get_data(as_text=True)
    assert "Is this the right time for you?" in text
    assert "talk to your therapist or doctor" in text


def test_deleting_the_account_removes_the_practice_library(signed_in, participant, travel):
    from wellbeing.account.service import delete_account
    travel(at(2026, 3, 10, 12))
    signed_in.post("/course/my-practices/self-compassion-break/favourite", data={"keep": "1"})
    assert db.session.scalar(select(PracticeMark)) is not None
    delete_account(participant, delete_answers=True)
    assert db.session.scalar(select(PracticeMark)) is None


def test_a_practices_length_is_said_once_when_it_is_one_of_its_versions(signed_in, travel):
    travel(at(2026, 3, 17, 12))  # week 3
    page = signed_in.get("/course/weeks/3/practices/finding-your-phrases").get_data(
        as_text=True)
    assert "A <strong>5-minute</strong> or a <strong>15-minute</strong> version." in page
    assert "About <strong>15 minutes</strong>, or" not in page
