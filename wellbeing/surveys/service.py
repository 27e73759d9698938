"""Survey logic: wave windows, pairing keys, atomic submission, a participant's own results."""
import datetime as dt
import hashlib
import hmac
from typing import NamedTuple

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from .. import instruments as catalogue
from ..cohorts.models import WITHDRAWN, Cohort, Enrollment
from ..cohorts.schedule import cohort_week_opens_at, release_on
from ..core.insert_once import insert_once, is_duplicate
from ..extensions import db
from ..instruments.scoring import score
from . import sealing, statements
from .models import (
    DEFAULT_INSTRUMENTS,
    FOLLOWUP,
    POST,
    PRE,
    WAVES,
    CohortSurveyPlan,
    DepartedRespondents,
    SealedAnswers,
    SurveyCompletion,
    SurveyResponse,
    _random_id,
)

WAVE_NAMES = {PRE: "Before the course", POST: "After the course", FOLLOWUP: "Follow-up"}
POST_OPEN_DAYS = 14
FOLLOWUP_OPEN_DAYS = 21


class Window(NamedTuple):
    wave: str
    opens_at: dt.datetime
    closes_at: dt.datetime


class NextSurvey(NamedTuple):
    wave: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    is_open: bool
    done: bool

    @property
    def name(self) -> str:
        """"Before the course", "After the course", "Follow-up"."""
        return WAVE_NAMES[self.wave]


class WaveClosed(Exception):
    """The wave is not open now; the message is safe to show."""


# ---- plans and windows -------------------------------------------------------------

def _request_cache(name: str) -> dict:
    # A page asks several times for the same plan and windows; remember them per request
    # (the session caches rows, not the absence of a plan, nor computed schedules).
    return request.environ.setdefault(name, {}) if has_request_context() else {}


def plan_for(cohort: Cohort) -> CohortSurveyPlan:
    cache = _request_cache("wellbeing.plans")
    if cohort.id not in cache:
        cache[cohort.id] = _with_defaults(cohort, db.session.get(CohortSurveyPlan, cohort.id))
    return cache[cohort.id]


def remember_plan(cohort: Cohort, plan: CohortSurveyPlan | None) -> None:
    """Record the plan a query loaded along with its cohort (None: no saved plan), so
    plan_for() needs no query of its own in this request."""
    _request_cache("wellbeing.plans")[cohort.id] = _with_defaults(cohort, plan)


def _with_defaults(cohort: Cohort, plan: CohortSurveyPlan | None) -> CohortSurveyPlan:
    if plan is None:  # transient defaults; saved only when an admin changes them
        plan = CohortSurveyPlan(cohort_id=cohort.id, org_id=cohort.org_id,
                                instruments=",".join(DEFAULT_INSTRUMENTS),
                                followup_enabled=False, followup_weeks=12)
    return plan


def instruments_for(cohort: Cohort) -> list:
    registry = catalogue.registry()
    return [registry[c] for c in plan_for(cohort).instrument_codes if c in registry]


def windows(cohort: Cohort, invited_at: dt.datetime | None = None) -> list[Window]:
    """The waves of a cohort in order. The pre survey opens at invitation (or a week
    before the start when unknown) and closes when week 2 opens."""
    plan = plan_for(cohort)
    cache = _request_cache("wellbeing.windows")
    key = (cohort.id, cohort.start_date, cohort.timezone, cohort.release_time, cohort.weeks,
           invited_at, plan.followup_enabled, plan.followup_weeks)
    if key not in cache:
        cache[key] = tuple(_windows(cohort, invited_at, plan))
    return list(cache[key])


def _windows(cohort: Cohort, invited_at: dt.datetime | None,
             plan: CohortSurveyPlan) -> list[Window]:
    first_day = cohort.start_date
    end_day = first_day + dt.timedelta(weeks=cohort.weeks)  # week weeks+1 would open
    end = release_on(cohort, end_day)
    pre_close = cohort_week_opens_at(cohort, 2) if cohort.weeks >= 2 else end
    pre_open = min(invited_at or release_on(cohort, first_day - dt.timedelta(days=7)),
                   pre_close)
    last_day = end_day - dt.timedelta(days=1)  # the course's last day
    # Open from the last day's release time for POST_OPEN_DAYS days: it closes 14 days
    # after the last day, not 14 days after the day that follows it.
    found = [Window(PRE, pre_open, pre_close),
             Window(POST, release_on(cohort, last_day),
                    release_on(cohort, last_day + dt.timedelta(days=POST_OPEN_DAYS)))]
    if plan.followup_enabled:
        opens_day = end_day + dt.timedelta(weeks=plan.followup_weeks)
        found.append(Window(FOLLOWUP, release_on(cohort, opens_day), release_on(
            cohort, opens_day + dt.timedelta(days=FOLLOWUP_OPEN_DAYS))))
    return found


def window(cohort: Cohort, wave: str, invited_at=None) -> Window | None:
    return next((w for w in windows(cohort, invited_at) if w.wave == wave), None)


def completed_waves(enrollment: Enrollment) -> set[str]:
    return set(db.session.scalars(select(SurveyCompletion.wave)
                                  .filter_by(enrollment_id=enrollment.id)))


def next_survey(enrollment: Enrollment, now: dt.datetime) -> NextSurvey | None:
    """What the participant home shows: the first wave still to do (open or upcoming);
    failing that, an open wave already done (to say thank you); else None."""
    if enrollment.status == WITHDRAWN:
        return None
    done = completed_waves(enrollment)
    found = [w for w in windows(enrollment.cohort, enrollment.invited_at) if now < w.closes_at]
    for w in found:
        if w.wave not in done:
            return NextSurvey(w.wave, w.opens_at, w.closes_at, w.opens_at <= now, False)
    for w in found:
        if w.opens_at <= now:
            return NextSurvey(w.wave, w.opens_at, w.closes_at, True, True)
    return None


# ---- submission --------------------------------------------------------------------

def pairing_key(cohort_id: int, user_id: int, secret: str | None = None) -> str:
    secret = secret if secret is not None else current_app.config["PAIRING_KEY"]
    return hmac.new(secret.encode(), f"{cohort_id}:{user_id}".encode(),
                    hashlib.sha256).hexdigest()


def submit_wave(enrollment: Enrollment, wave: str, answers: dict[str, dict],
                now: dt.datetime) -> bool:
    """Store one wave's answers (instrument code -> {item: value}), sealed, and the
    completion in one transaction; the answers reach the answer table when the wave
    closes (release.py). Returns False, storing nothing, when this wave was already
    received: the unique constraint on the completion decides, so no read is needed
    first and two racing submissions cannot both be stored."""
    cohort = enrollment.cohort
    span = window(cohort, wave, enrollment.invited_at)
    if enrollment.status == WITHDRAWN or span is None:
        raise WaveClosed("This survey is not part of your course.")
    if not span.opens_at <= now < span.closes_at:
        raise WaveClosed("This survey is closed now, so we could not store these answers.")
    key = pairing_key(cohort.id, enrollment.user_id)
    given = {}
    for instrument in instruments_for(cohort):
        values = answers[instrument.code]
        given[instrument.code] = {
            "answers": {str(n): int(v) for n, v in sorted(values.items(),
                                                          key=lambda i: int(i[0]))},
            "scores": score(instrument, values)}
    completion = {"org_id": enrollment.org_id, "enrollment_id": enrollment.id, "wave": wave}
    sealed = {"id": _random_id(), "org_id": enrollment.org_id, "cohort_id": cohort.id,
              "wave": wave, "owner": sealing.owner(key, wave),
              "sealed": sealing.seal(cohort.id, wave, key, given)}
    # Both are stored in one transaction, or neither.
    try:
        if not given:
            db.session.execute(statements.COMPLETION, completion)
        elif db.session.get_bind().dialect.name == "postgresql":
            both = {**completion, **sealed, "sealed_id": sealed["id"]}
            del both["id"]
            db.session.execute(statements.PG_COMPLETION_AND_SEALED, both)
        else:
            db.session.execute(statements.COMPLETION, completion)
            db.session.execute(statements.SEALED, sealed)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if is_duplicate(error):
            return False
        raise
    return True


# ---- a participant's own answers (only ever for the signed-in person) ----------------

def own_responses(enrollment: Enrollment) -> dict[str, dict[str, SurveyResponse]]:
    """wave -> instrument code -> response, found through the pairing key, in every
    cohort the person answered in (HR may have moved them since); answers of a wave
    still open are opened from their seal (unsaved responses, never added to the
    session)."""
    keys = {cohort_id: pairing_key(cohort_id, enrollment.user_id)
            for cohort_id in enrollment.answer_cohort_ids}
    mine = [(cohort_id, sealing.owner(key, wave)) for cohort_id, key in keys.items()
            for wave in WAVES]
    rows = list(db.session.scalars(select(SurveyResponse).where(
        tuple_(SurveyResponse.cohort_id, SurveyResponse.respondent).in_(mine))))
    found: dict[str, dict[str, SurveyResponse]] = {}
    for row in rows + _still_sealed(keys):
        found.setdefault(row.wave, {})[row.instrument] = row
    return found


def _still_sealed(keys: dict[int, str]) -> list[SurveyResponse]:
    owners = [sealing.owner(key, wave) for key in keys.values() for wave in WAVES]
    found = []
    for held in db.session.scalars(select(SealedAnswers).where(SealedAnswers.owner.in_(owners))):
        try:
            key, given = sealing.unseal(held.cohort_id, held.wave, held.sealed)
        except sealing.Unreadable:
            continue  # another PAIRING_KEY: kept, but nobody can read it now
        found += [SurveyResponse(org_id=held.org_id, cohort_id=held.cohort_id, wave=held.wave,
                                 instrument=code, respondent=held.owner,
                                 answers=one["answers"], scores=one["scores"])
                  for code, one in given.items()]
    return found


def delete_own_answers(user_id: int, cohort_ids) -> None:
    """Remove a person's answers in these cohorts, written or still sealed. Each wave
    they had answered counts them still (DepartedRespondents), so its count does not
    drop by one and say that they had."""
    for cohort_id in cohort_ids:
        key = pairing_key(cohort_id, user_id)
        owners = [sealing.owner(key, wave) for wave in WAVES]
        answered = set(db.session.scalars(select(SurveyResponse.wave).where(
            SurveyResponse.cohort_id == cohort_id, SurveyResponse.respondent.in_(owners))))
        answered |= set(db.session.scalars(select(SealedAnswers.wave).where(
            SealedAnswers.cohort_id == cohort_id, SealedAnswers.owner.in_(owners))))
        for wave in answered:
            _count_departed(cohort_id, wave)
        db.session.execute(delete(SurveyResponse).where(
            SurveyResponse.cohort_id == cohort_id, SurveyResponse.respondent.in_(owners)))
        db.session.execute(delete(SealedAnswers).where(SealedAnswers.owner.in_(owners)))


def _count_departed(cohort_id: int, wave: str) -> None:
    insert_once(DepartedRespondents, cohort_id=cohort_id, wave=wave, respondents=0)
    db.session.execute(update(DepartedRespondents).where(
        DepartedRespondents.cohort_id == cohort_id, DepartedRespondents.wave == wave)
        .values(respondents=DepartedRespondents.respondents + 1))


# ---- staff: counts only ------------------------------------------------------------

def respondent_counts(cohort: Cohort) -> dict[str, int]:
    """Respondents per wave: distinct respondents on the answer side, plus the sealed
    submissions of waves not yet released (one each), plus those who answered and have
    deleted their account and answers since."""
    written = db.session.execute(
        select(SurveyResponse.wave, func.count(func.distinct(SurveyResponse.respondent)))
        .where(SurveyResponse.cohort_id == cohort.id).group_by(SurveyResponse.wave))
    sealed = db.session.execute(
        select(SealedAnswers.wave, func.count()).where(SealedAnswers.cohort_id == cohort.id)
        .group_by(SealedAnswers.wave))
    departed = db.session.execute(
        select(DepartedRespondents.wave, DepartedRespondents.respondents)
        .where(DepartedRespondents.cohort_id == cohort.id))
    counts = dict.fromkeys(WAVES, 0)
    for wave, n in [*written, *sealed, *departed]:
        counts[wave] += n
    return counts


def could_answer(cohort: Cohort) -> int:
    """How many people could have answered this cohort's surveys: everyone enrolled in it,
    whether still in it, gone (answers are kept), or moved out since (their answers stay
    here). What staff know as "everyone", so that a count which could only mean all of
    them is hidden (core.suppression). People who deleted their account count too: the
    number must not drop when someone leaves."""
    return Enrollment.count_ever_in(cohort)


def questionnaires_locked(cohort: Cohort) -> bool:
    """A cohort's questionnaires stop changing once anyone could have answered them:
    published with someone enrolled, now or moved out since. Decided by who was enrolled
    only, never by whether answers exist: after everyone was moved out, a lock that held
    only when answers remained said whether they had answered."""
    if cohort.is_draft:
        return False
    return cohort.departed > 0 or db.session.scalar(
        select(Enrollment.id).where(Enrollment.ever_in(cohort)).limit(1)) is not None
