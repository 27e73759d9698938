"""Take a cohort's outcome aggregates once its survey after the course has closed.

Only group sums are kept (PairSums per scale, counts per funnel step, quartiles of
weekly practice minutes); no row of this table holds one person's value. The numbers come
from the answer side by pairing key and from the identity side by counts; no time column
of an answer or a completion is read."""
import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from .. import instruments as catalogue
from ..cohorts.models import Cohort, Enrollment
from ..core.insert_once import insert_once
from ..course.models import ModuleOpened, ModuleProgress, PracticeLog
from ..extensions import db
from ..surveys import sealing
from ..surveys import service as surveys
from ..surveys import snapshots as wave_snapshots
from ..surveys.models import POST, PRE, CohortSurveyPlan, SealedAnswers, SurveyResponse
from ..surveys.release import RELEASE_AFTER, release_wave
from . import statistics as st
from .models import OutcomeSnapshot

TOTAL = "total"


def post_closes_at(cohort: Cohort) -> dt.datetime:
    return surveys.window(cohort, POST).closes_at


def is_closed(cohort: Cohort, now: dt.datetime) -> bool:
    """The survey after the course has closed and its answers have left their seal
    (surveys/release.py writes a wave to the answer side a few minutes after it closes):
    a snapshot taken before that would miss them for good."""
    if cohort.is_draft or post_closes_at(cohort) > now:
        return False
    sealed = select(SealedAnswers.wave).where(SealedAnswers.cohort_id == cohort.id,
                                              SealedAnswers.wave.in_((PRE, POST))).distinct()
    waiting = list(db.session.scalars(sealed))
    if waiting and now < post_closes_at(cohort) + RELEASE_AFTER:
        return False  # the release is minutes away; the snapshot waits for it
    for wave in waiting:  # released here if beat has not got to it yet
        release_wave(cohort.id, wave)
    return True


def _instrument_data(instrument, pre: dict, post: dict) -> dict:
    keys = sorted(set(pre) & set(post))
    scales = {TOTAL: st.PairSums.of((pre[k]["total"], post[k]["total"]) for k in keys)}
    for sub in instrument.subscales:
        scales[sub.key] = st.PairSums.of(
            (pre[k]["subscales"][sub.key], post[k]["subscales"][sub.key]) for k in keys)
    threshold = st.reliable_change_threshold(instrument.norm_sd, instrument.reliability)
    reliable = st.reliable_change_counts(
        [(pre[k]["total"], post[k]["total"]) for k in keys], threshold, instrument.better)
    return {"n_pre": len(pre), "n_post": len(post),
            "scales": {key: sums.as_list() for key, sums in scales.items()},
            "reliable": reliable}


def _pairing_of(cohort: Cohort, row_id: str, pairing: bytes) -> str:
    """Pre and post are one person's only under PAIRING_KEY (surveys/sealing.py). A row
    sealed under another key still counts for its wave, paired with nothing."""
    try:
        return sealing.open_pairing(cohort.id, pairing)
    except sealing.Unreadable:
        return f"unpaired:{row_id}"


def _outcomes(cohort: Cohort) -> dict:
    found: dict[str, dict[str, dict]] = defaultdict(lambda: {PRE: {}, POST: {}})
    rows = db.session.execute(
        select(SurveyResponse.id, SurveyResponse.instrument, SurveyResponse.wave,
               SurveyResponse.pairing, SurveyResponse.scores)
        .where(SurveyResponse.cohort_id == cohort.id, SurveyResponse.wave.in_((PRE, POST))))
    for row_id, code, wave, pairing, scores in rows:
        found[code][wave][_pairing_of(cohort, row_id, pairing)] = scores
    registry = catalogue.registry()
    planned = [i.code for i in surveys.instruments_for(cohort)]
    codes = planned + sorted(c for c in found if c not in planned and c in registry)
    return {code: _instrument_data(registry[code], found[code][PRE], found[code][POST])
            for code in codes}


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _funnel(cohort: Cohort) -> list[list]:
    """[label, count] per step: invited, joined, pre survey, each week opened and
    completed, post survey (the survey steps counted on the answer side, as everywhere).

    Everything counts in the cohort where it happened: weeks by their rows' own cohort,
    people by whether they were ever enrolled here (moved out since, or left). A person
    moved in brings none of their earlier weeks, so moving them reveals nothing."""
    enrolled = select(Enrollment.id).where(Enrollment.ever_in(cohort))
    joined = enrolled.where(Enrollment.joined_at.is_not(None))
    per_week = {}
    for model in (ModuleOpened, ModuleProgress):
        per_week[model] = dict(db.session.execute(
            select(model.week, func.count()).where(model.cohort_id == cohort.id)
            .group_by(model.week)).all())
    respondents = surveys.respondent_counts(cohort)
    respondents.update({wave: n for wave, (n, _) in wave_snapshots.kept_counts(cohort).items()})
    # Invited counts those who deleted their account since, as the completion page's
    # total does; Joined does not (whether they joined is on the roster while they are).
    steps = [["Invited", Enrollment.count_ever_in(cohort)], ["Joined", _count(joined)],
             ["Answered the survey before the course", respondents[PRE]]]
    for week in range(1, cohort.weeks + 1):
        steps.append([f"Opened week {week}", per_week[ModuleOpened].get(week, 0)])
        steps.append([f"Completed week {week}", per_week[ModuleProgress].get(week, 0)])
    steps.append(["Answered the survey after the course", respondents[POST]])
    return steps


def _practice(cohort: Cohort) -> list[list]:
    """[week, people, lower quartile, median, upper quartile, people who practised] of
    weekly practice minutes among the people who joined (a week without practice counts
    as 0 minutes). Practice counts in the cohort it was logged in, and so do the people
    who logged it, if they left or were moved out since (as in _funnel)."""
    people = list(db.session.scalars(select(Enrollment.id).where(
        Enrollment.ever_in(cohort), Enrollment.joined_at.is_not(None))))
    minutes: dict[int, dict[int, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(PracticeLog.enrollment_id, PracticeLog.day, PracticeLog.minutes)
        .where(PracticeLog.cohort_id == cohort.id))
    for enrollment_id, day, spent in rows:
        week = (day - cohort.start_date).days // 7 + 1
        if 1 <= week <= cohort.weeks:
            minutes[week][enrollment_id] = minutes[week].get(enrollment_id, 0) + spent
    if not people:
        return []
    return [[week, len(people), *st.quartiles([minutes[week].get(p, 0) for p in people]),
             sum(1 for p in people if minutes[week].get(p, 0) > 0)]
            for week in range(1, cohort.weeks + 1)]


def compute(cohort: Cohort) -> dict:
    """The group sums a cohort's outcome pages are built from (see models.py)."""
    everyone = surveys.could_answer(cohort)
    # Each survey's count as the survey pages show it: kept at its close, with how many
    # could have answered then. A fresh count here would differ after a deletion, and the
    # two pages side by side would say whether the person who left had answered.
    waves = {wave: [n, kept_everyone if kept_everyone is not None else everyone]
             for wave, (n, kept_everyone) in wave_snapshots.kept_counts(cohort).items()}
    return {"instruments": _outcomes(cohort), "funnel": _funnel(cohort),
            "practice": _practice(cohort), "everyone": everyone, "waves": waves}


def take_due(cohort: Cohort, now: dt.datetime) -> OutcomeSnapshot | None:
    """The cohort's snapshot once its post survey has closed (taken by the first caller
    after the close; two at once store one), else None. Part of the caller's transaction."""
    if not is_closed(cohort, now):
        return None
    kept = db.session.get(OutcomeSnapshot, cohort.id)
    if kept is None:
        wave_snapshots.take_due(cohort, now)  # the surveys' own counts, kept first
        insert_once(OutcomeSnapshot, cohort_id=cohort.id, org_id=cohort.org_id,
                    taken_at=now, data=compute(cohort))
        kept = db.session.get(OutcomeSnapshot, cohort.id)
    return kept


def kept_for(cohorts: list[Cohort], now: dt.datetime) -> tuple[dict[int, OutcomeSnapshot], bool]:
    """Snapshots of every closed cohort in the list, taking the missing ones; and whether
    any was taken now (then the caller commits). A cohort with a snapshot has closed, so
    only the others' schedules are worked out."""
    kept = {s.cohort_id: s for s in db.session.scalars(select(OutcomeSnapshot).where(
        OutcomeSnapshot.cohort_id.in_([c.id for c in cohorts])))} if cohorts else {}
    missing = [c for c in cohorts if c.id not in kept and not c.is_draft]
    plans = {p.cohort_id: p for p in db.session.scalars(select(CohortSurveyPlan).where(
        CohortSurveyPlan.cohort_id.in_([c.id for c in missing])))} if missing else {}
    took = False
    for cohort in missing:
        surveys.remember_plan(cohort, plans.get(cohort.id))
        if is_closed(cohort, now):
            kept[cohort.id] = take_due(cohort, now)
            took = True
    return kept, took


# The longest course (16 weeks), its post survey's 14 days, and a week's slack.
HORIZON = dt.timedelta(weeks=16 + 2 + 1)


def take_all_due(now: dt.datetime) -> int:
    """For beat: the outcome snapshot of every cohort whose survey after the course has
    closed and that has none yet, close to the close. Returns the snapshots taken."""
    since = (now - HORIZON).date()
    cohorts = list(db.session.scalars(select(Cohort).where(
        Cohort.published_at.is_not(None), Cohort.start_date.between(since, now.date()))))
    taken = 0
    for cohort in cohorts:
        if db.session.get(OutcomeSnapshot, cohort.id) is None and is_closed(cohort, now):
            take_due(cohort, now)
            db.session.commit()
            taken += 1
    return taken
