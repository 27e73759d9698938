"""Participant pages: my surveys, the survey form, my results."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, lazyload

from ..auth.models import PARTICIPANT
from ..cohorts import hooks
from ..cohorts.models import WITHDRAWN, Cohort, Enrollment
from ..cohorts.participants import current_of
from ..core.access import require_roles
from ..core.pages import rerender_on_csrf_error
from ..core.timeutil import now_utc
from ..extensions import db
from ..instruments import registry
from . import service
from .forms import answers_from, field_name, missing_items, wave_form_class
from .models import CohortSurveyPlan
from .results import summary
from .service import WAVE_NAMES

bp = Blueprint("surveys", __name__)
require_roles(bp, PARTICIPANT)
bp.record_once(lambda state: registry())  # a broken instrument file stops start-up
hooks.provide("next_survey", service.next_survey)

WAVE_RULE = "<any(pre, post, followup):wave>"


# Built once: a statement's cache key is worked out on first use and kept on the object.
_MINE = (
    select(Enrollment, CohortSurveyPlan).select_from(Enrollment).join(Cohort)
    .outerjoin(CohortSurveyPlan, CohortSurveyPlan.cohort_id == Cohort.id)
    .options(contains_eager(Enrollment.cohort), lazyload("*"))
    .where(Enrollment.user_id == bindparam("user_id"), Enrollment.org_id == bindparam("org_id"),
           Cohort.published_at.is_not(None))  # no survey before a draft is published
    .order_by(Cohort.start_date.desc(), Enrollment.id.desc()))


def _enrollments(withdrawn: bool = False) -> list[Enrollment]:
    """The signed-in person's enrollments with their cohorts and survey plans, in one
    query (a survey submission runs this on every request). Courses they left count only
    when `withdrawn`: their own results stay theirs to see, but no survey is taken."""
    rows = db.session.execute(_MINE, {"user_id": current_user.id,
                                      "org_id": current_user.org_id})
    mine = []
    for enrollment, plan in rows:
        service.remember_plan(enrollment.cohort, plan)
        if withdrawn or enrollment.status != WITHDRAWN:
            mine.append(enrollment)
    return mine


def _pick(wave: str | None = None, withdrawn: bool = False) -> Enrollment:
    """The enrollment named by ?e=, else the one whose `wave` is open now, else the
    person's current course (a running one before a later one they were added to)."""
    mine = _enrollments(withdrawn)
    wanted = request.args.get("e", type=int)
    if wanted is not None:
        match = next((e for e in mine if e.id == wanted), None)
        if match is None:
            abort(404)
        return match
    if not mine:
        abort(404)
    now = now_utc()
    for enrollment in mine:
        span = service.window(enrollment.cohort, wave, enrollment.invited_at) if wave else None
        if span and span.opens_at <= now < span.closes_at:
            return enrollment
    current = [e for e in mine if e.status != WITHDRAWN]
    return current_of(current, now) or mine[0]


@bp.get("/")
def index():
    now = now_utc()
    courses = []
    for enrollment in _enrollments(withdrawn=True):
        done = service.completed_waves(enrollment)
        if enrollment.status == WITHDRAWN:  # no more surveys; their results stay theirs
            courses.append({"enrollment": enrollment, "waves": [], "any_done": bool(done),
                            "left": True})
            continue
        waves = []
        for span in service.windows(enrollment.cohort, enrollment.invited_at):
            if span.wave in done:
                state = "done"
            elif now < span.opens_at:
                state = "upcoming"
            elif now < span.closes_at:
                state = "open"
            else:
                state = "closed"
            waves.append({"span": span, "state": state, "name": WAVE_NAMES[span.wave]})
        courses.append({"enrollment": enrollment, "waves": waves, "any_done": bool(done),
                        "left": False})
    return render_template("surveys/index.html", courses=courses)


@bp.route(f"/{WAVE_RULE}", methods=["GET", "POST"])
@rerender_on_csrf_error
def take(wave):
    enrollment = _pick(wave)
    cohort = enrollment.cohort
    span = service.window(cohort, wave, enrollment.invited_at)
    if span is None:
        abort(404)
    back = {"e": enrollment.id}
    posted = request.method == "POST"

    def received():
        return render_template("surveys/received.html", enrollment=enrollment, wave=wave,
                               name=WAVE_NAMES[wave], back=back)

    now = now_utc()
    is_open = span.opens_at <= now < span.closes_at
    # A POST to an open wave skips this read: the database's unique constraint decides.
    if not (posted and is_open) and wave in service.completed_waves(enrollment):
        return received()
    if not is_open:
        return render_template("surveys/not_open.html", span=span, now=now, back=back,
                               name=WAVE_NAMES[wave], posted=posted), 409 if posted else 200
    instruments = service.instruments_for(cohort)
    form = wave_form_class(instruments)()
    status = 200
    if posted:
        if form.validate_on_submit():
            try:
                stored = service.submit_wave(enrollment, wave, answers_from(form, instruments),
                                             now)
            except service.WaveClosed as closed:
                flash(str(closed), "error")
                return redirect(url_for(".index"))
            if not stored:
                return received()
            flash("Thank you. Your answers are saved.", "info")
            return redirect(url_for(".results", **back))
        if wave in service.completed_waves(enrollment):
            return received()
        status = 400
    missing = missing_items(form, instruments) if form.errors else []
    total = sum(len(i.items) for i in instruments)
    answered = sum(1 for i in instruments for item in i.items
                   if form[field_name(i, item.n)].data not in (None, "", "None"))
    return render_template("surveys/form.html", form=form, instruments=instruments, wave=wave,
                           name=WAVE_NAMES[wave], span=span, enrollment=enrollment,
                           missing=missing, total=total, answered=answered,
                           field_name=field_name, back=back), status


@bp.get("/results")
def results():
    enrollment = _pick(withdrawn=True)
    return render_template("surveys/results.html", enrollment=enrollment,
                           summary=summary(enrollment), names=WAVE_NAMES)
