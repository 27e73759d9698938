"""PAIRING_KEY can be changed only by moving the data to the new key (surveys/rekey.py):
started with another key, Wellbeing refuses (surveys/key_check.py) instead of quietly
writing answers that never pair with the earlier ones."""
import pytest
import sqlalchemy as sa
import time_machine

from tests.surveys.helpers import BEFORE_START, IN_POST, IN_WEEK_1, START, default_answers
from wellbeing import create_app
from wellbeing.cli import rekey_pairing_command
from wellbeing.core.key_checks import KeyCheck
from wellbeing.extensions import db
from wellbeing.outcomes.snapshots import _pairing_of
from wellbeing.surveys import key_check, rekey, release, sealing, service
from wellbeing.surveys.models import SealedAnswers, SurveyResponse

NEW_KEY = "n" * 64


def _answers(pss: int) -> dict:
    return {code: dict(enumerate(values, start=1))
            for code, values in default_answers(pss=[pss] * 10).items()}


@pytest.fixture
def course(org, make_cohort, make_user, enroll):
    """Three people answered before the course (written out: the wave closed) and after
    it (still sealed: the post wave is open); a fourth answered before, then deleted their
    account and kept their answers."""
    with time_machine.travel(BEFORE_START, tick=False):
        cohort = make_cohort(org=org, start=START)
        people = [enroll(make_user(org=org), cohort) for _ in range(4)]
    for n, person in enumerate(people):
        assert service.submit_wave(person, "pre", _answers(n), IN_WEEK_1)
    assert release.release_wave(cohort.id, "pre") == 4
    for n, person in enumerate(people[:3]):
        assert service.submit_wave(person, "post", _answers(n + 1), IN_POST)
    gone = people.pop()
    db.session.delete(gone)
    db.session.commit()
    return cohort, people


def _own(person) -> dict:
    mine = service.own_responses(person)
    return {wave: {code: row.scores["total"] for code, row in by_code.items()}
            for wave, by_code in mine.items()}


def _pairs(cohort) -> dict[str, set[str]]:
    """wave -> pairing keys of the cohort's written answers, opened as the outcome
    figures open them."""
    found: dict[str, set[str]] = {}
    for row_id, wave, pairing in db.session.execute(sa.select(
            SurveyResponse.id, SurveyResponse.wave, SurveyResponse.pairing)):
        found.setdefault(wave, set()).add(_pairing_of(cohort, row_id, pairing))
    return found


def test_after_rekey_everyone_finds_their_answers_and_pre_and_post_still_pair(
        app, course, monkeypatch):
    cohort, people = course
    old = app.config["PAIRING_KEY"]
    before = [_own(person) for person in people]
    assert all(set(own) == {"pre", "post"} for own in before)

    done = rekey.rekey(old, NEW_KEY)
    assert (done.written, done.sealed, done.left) == (8, 3, 0)  # 4 people x 2 instruments
    monkeypatch.setitem(app.config, "PAIRING_KEY", NEW_KEY)
    assert [_own(person) for person in people] == before
    # The post wave closes after the rekey and is released under the new key: every
    # person's pre and post answers still carry one pairing key, and the kept answers of
    # the deleted account pair with nothing new.
    assert release.release_wave(cohort.id, "post") == 3
    pairs = _pairs(cohort)
    assert len(pairs["pre"]) == 4 and len(pairs["post"]) == 3
    assert pairs["post"] < pairs["pre"]
    assert not any(p.startswith("unpaired:") for p in pairs["pre"] | pairs["post"])
    # The old key opens nothing any more.
    for cohort_id, pairing in db.session.execute(sa.select(SurveyResponse.cohort_id,
                                                           SurveyResponse.pairing)):
        with pytest.raises(sealing.Unreadable):
            sealing.open_pairing(cohort_id, pairing, old)


def test_the_old_key_is_refused_after_the_rekey_and_the_new_one_accepted(app, course):
    old = app.config["PAIRING_KEY"]
    key_check.verify(old)  # the first start records the key in use
    rekey.rekey(old, NEW_KEY)
    with pytest.raises(key_check.WrongPairingKey, match="rekey-pairing"):
        key_check.verify(old)
    key_check.verify(NEW_KEY)


def test_wellbeing_will_not_start_with_another_key(app, course):
    key_check.verify(app.config["PAIRING_KEY"])
    overrides = {"PROFILE": "test", "TESTING": True, "PAIRING_KEY": NEW_KEY,
                 "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                 "RATELIMIT_STORAGE_URI": "memory://", "REDIS_URL": app.config["REDIS_URL"]}
    with pytest.raises(key_check.WrongPairingKey, match="not the key this database"):
        create_app(overrides)
    create_app({**overrides, "PAIRING_KEY": app.config["PAIRING_KEY"]})  # starts


def test_a_database_from_before_the_check_refuses_a_key_that_does_not_open_it(app, course):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeyCheck)) == 0
    with pytest.raises(key_check.WrongPairingKey):
        key_check.verify(NEW_KEY)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeyCheck)) == 0
    key_check.verify(app.config["PAIRING_KEY"])  # opens a stored row: recorded
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeyCheck)) == 1


def test_rekey_changes_nothing_when_the_old_key_does_not_open_the_answers(app, course):
    stored = set(db.session.execute(sa.select(SurveyResponse.respondent)).scalars())
    with pytest.raises(rekey.Unopenable, match="nothing was changed"):
        rekey.rekey("not the key in use " * 3, NEW_KEY)
    assert set(db.session.execute(sa.select(SurveyResponse.respondent)).scalars()) == stored
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SealedAnswers)) == 3


def test_the_command_moves_the_data_and_says_what_to_do_next(app, course, monkeypatch):
    cohort, people = course
    before = [_own(person) for person in people]
    monkeypatch.setenv("PAIRING_KEY", app.config["PAIRING_KEY"])  # as production sets it
    monkeypatch.setenv("NEW_PAIRING_KEY", NEW_KEY)
    result = app.test_cli_runner().invoke(rekey_pairing_command,
                                          ["--new-key-from", "NEW_PAIRING_KEY"])
    assert result.exit_code == 0, result.output
    assert "8 answer rows and 3 sealed submissions" in result.output
    assert "set PAIRING_KEY to the new key" in result.output
    monkeypatch.setitem(app.config, "PAIRING_KEY", NEW_KEY)
    assert [_own(person) for person in people] == before
    monkeypatch.setenv("SHORT", "short")
    refused = app.test_cli_runner().invoke(rekey_pairing_command, ["--new-key-from", "SHORT"])
    assert refused.exit_code != 0 and "at least 32 characters" in refused.output
