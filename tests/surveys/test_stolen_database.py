"""A stolen database links nobody (DESIGN, privacy promise 4).

A cohort of sixteen answers over days and weeks: one person alone in a week before the
course, three on the same day, one alone in the last week of the post survey, one who
later deletes their account and keeps their answers, two who skip the post survey and
one who answers nothing. Whoever holds copies of the database taken along the way (a
`pg_dump` and the database files on PostgreSQL, the file on SQLite), but not
PAIRING_KEY, tries every join and order it can (tests/surveys/attacker.py)."""
import datetime as dt
import random

import pytest
import time_machine

from tests.surveys.attacker import attack, take_copy
from wellbeing.account.service import delete_account
from wellbeing.auth.models import User
from wellbeing.extensions import db
from wellbeing.instruments import get
from wellbeing.surveys import sealing, service
from wellbeing.surveys.release import release_closed_waves

START = dt.date(2026, 3, 2)  # pre closes 9 March 09:00 UTC; post runs 26 April - 11 May


def _at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=dt.UTC)


PRE = [  # (person, when); person 15 answers nothing
    (0, _at("2026-02-17")),                      # alone in ISO week 8
    (12, _at("2026-03-02")),
    (1, _at("2026-03-03", 10, 0)), (2, _at("2026-03-03", 10, 5)), (3, _at("2026-03-03", 10, 10)),
    (13, _at("2026-03-03", 16)),
    (4, _at("2026-03-04", 9)), (5, _at("2026-03-04", 17)),
    (6, _at("2026-03-05")), (14, _at("2026-03-05", 15)),
    (7, _at("2026-03-06", 8)),
    (8, _at("2026-03-07")), (9, _at("2026-03-07", 11)),
    (10, _at("2026-03-08")), (11, _at("2026-03-08", 20)),
]
POST = [  # 2 deleted their account; 10 and 11 skip the post survey
    (0, _at("2026-04-26", 9)),                   # alone in ISO week 17 (a Sunday)
    (1, _at("2026-04-27")), (3, _at("2026-04-27", 12)),
    (4, _at("2026-04-28")), (5, _at("2026-04-28", 14)),
    (6, _at("2026-04-29")), (7, _at("2026-04-29", 18)),
    (8, _at("2026-04-30", 9)), (12, _at("2026-05-01")), (13, _at("2026-05-02")),
    (14, _at("2026-05-04")),
    (9, _at("2026-05-07")),                      # alone in ISO week 19
]
DELETED = 2
COPIES = {  # when a backup is taken, and whether the scheduler's housekeeping ran first
    "pre open, right after answers were stored": (_at("2026-03-06", 12), False),
    "pre closed": (_at("2026-03-09", 9, 30), True),
    "post open, after housekeeping": (_at("2026-04-30", 12), True),
    "post closed": (_at("2026-05-12"), True),
}


def _answers(rng: random.Random) -> dict[str, dict[int, int]]:
    found = {}
    for code in ("SCS-SF", "PSS-10"):
        instrument = get(code)
        found[code] = {item.n: rng.randint(instrument.scale_min, instrument.scale_max)
                       for item in instrument.items}
    return found


def _housekeeping(now: dt.datetime) -> None:
    """What beat runs about survey answers."""
    db.session.commit()
    release_closed_waves(now)


@pytest.fixture
def stolen(app, org, make_cohort, make_user, enroll):
    """The cohort lives through its course; a copy is taken at each moment of COPIES."""
    rng = random.Random(13)
    with time_machine.travel(_at("2026-02-16", 9), tick=False):
        cohort = make_cohort(org=org, start=START)
        people = [make_user(org=org, name=f"Person {n}") for n in range(16)]
        enrollments = [enroll(person, cohort) for person in people]
    ids = [person.id for person in people]
    truth = _truth(cohort, ids)
    names = {str(person.id): person.name for person in people}
    events = [(when, "pre", who) for who, when in PRE] + [(when, "post", who)
                                                          for who, when in POST]
    events.append((_at("2026-03-20"), "delete", DELETED))
    events += [(when, "copy", (name, housekeeping))
               for name, (when, housekeeping) in COPIES.items()]
    copies = {}
    for when, what, who in sorted(events, key=lambda e: e[0]):
        with time_machine.travel(when, tick=False):
            if what == "delete":
                delete_account(db.session.get(User, ids[who]), delete_answers=False)
            elif what == "copy":
                name, housekeeping = who
                if housekeeping:
                    _housekeeping(when)
                db.session.commit()
                copies[name] = take_copy(db.engine)
            else:
                assert service.submit_wave(enrollments[who], what, _answers(rng), when)
    return copies, truth, names


def test_no_copy_of_the_database_links_anyone_to_their_answers(stolen):
    """Each copy is attacked together with every copy taken before it."""
    copies, truth, names = stolen
    taken = []
    for name, copy in copies.items():
        taken.append(copy)
        found = attack(taken, truth)
        linked = sorted(names[person] for person in found.links.values())
        assert found.links == {}, f"{name}: linked {linked}"
        assert found.orders == [], f"{name}: {found.orders}"
        assert found.pairs == [], f"{name}: pre and post paired by {found.pairs}"
    # Not an empty victory: the last copy holds everyone's answers, the deleted
    # person's included.
    assert found.answer_sets == {"pre": 15, "post": 12}


def test_a_lone_person_who_skips_a_wave_is_not_singled_out(
        org, make_cohort, make_user, enroll):
    """The completions say who answered which wave. When exactly one person skips the
    post survey, a copy that paired each person's pre and post answers would give theirs
    away: the pre answers without a post partner. Rows of two waves share no value, so
    the pre answers all look alike."""
    rng = random.Random(7)
    with time_machine.travel(_at("2026-02-16", 9), tick=False):
        cohort = make_cohort(org=org, start=START)
        people = [make_user(org=org) for _ in range(6)]
        enrollments = [enroll(person, cohort) for person in people]
    for enrollment in enrollments:
        assert service.submit_wave(enrollment, "pre", _answers(rng), _at("2026-03-04"))
    for enrollment in enrollments[1:]:
        assert service.submit_wave(enrollment, "post", _answers(rng), _at("2026-04-28"))
    _housekeeping(_at("2026-05-12"))
    found = attack([take_copy(db.engine)], _truth(cohort, [p.id for p in people]))
    assert found.pairs == [] and found.links == {}
    assert found.answer_sets == {"pre": 6, "post": 5}
    # PAIRING_KEY still pairs them: the outcome figures are paired.
    from wellbeing.outcomes.snapshots import compute
    assert compute(cohort)["instruments"]["PSS-10"]["scales"]["total"][0] == 5


def _truth(cohort, ids) -> dict[str, str]:
    """Each wave's answer key of each person: what the order attacks are scored on."""
    return {sealing.owner(service.pairing_key(cohort.id, user_id), wave): str(user_id)
            for user_id in ids for wave in ("pre", "post", "followup")}
