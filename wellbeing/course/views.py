"""The participant's course: home, weekly modules, guided practices."""
import gzip
from functools import lru_cache, wraps
from pathlib import Path

import plotly
from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from ..auth.models import PARTICIPANT
from ..cohorts import hooks, participants, schedule
from ..core.timeutil import now_utc
from . import marks, recordings, service
from . import practice as practice_log
from .blueprint import bp
from .forms import ConfirmForm

GROUNDING = "soles-of-the-feet"  # offered after practices that can stir difficult feelings
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def participant_view(view=None, *, past=False):
    """Signed-in participants with a current (not withdrawn) enrollment; others are told
    kindly that there is no course for them right now. With past=True, someone who left
    their course still reads what they wrote in it (the latest course they left, for GET
    only, with `read_only` set for the template)."""
    if view is None:
        return lambda view: participant_view(view, past=past)

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != PARTICIPANT:
            abort(403)
        enrollment = participants.current_enrollment(current_user)
        g.read_only = False
        if enrollment is None and past:
            enrollment = participants.left_enrollment(current_user)
            g.read_only = enrollment is not None
            if g.read_only and request.method != "GET":
                abort(403)
        if enrollment is None:
            return render_template("course/no_course.html"), 200
        return view(enrollment, *args, **kwargs)
    return wrapper


@bp.get("/")
@participant_view
def home(enrollment):
    now = now_utc()
    states = service.weeks_for(enrollment, now)
    current = service.this_week(states)
    minutes = None
    if current is not None:
        first, last = practice_log.week_dates(enrollment.cohort, current.week)
        minutes = practice_log.minutes_between(enrollment, first, last)
    return render_template(
        "course/home.html", enrollment=enrollment, cohort=enrollment.cohort, states=states,
        current=current, minutes_this_week=minutes,
        current_module=service.module_for(enrollment.org_id, current.week) if current else None,
        completed=sum(1 for s in states if s.completed_on),
        finished=now >= schedule.course_end_at(enrollment.cohort),
        next_survey=hooks.next_survey(enrollment, now),
        pocket_practices=[p for p in service.open_practices(enrollment, now) if p.pocket])


def week_view(view):
    """A participant's view of one week: a week outside the course is not found, and one
    that has not opened yet shows when it opens; otherwise the view gets its module."""
    @wraps(view)
    def wrapper(enrollment, week, **kwargs):
        cohort = enrollment.cohort
        if not 1 <= week <= cohort.weeks:
            abort(404)
        if not service.is_open(enrollment, week):
            opens_at = schedule.cohort_week_opens_at(cohort, week)
            return render_template("course/locked.html", week=week, opens_at=opens_at), 403
        return view(enrollment, week, service.module_for(enrollment.org_id, week), **kwargs)
    return participant_view(wrapper)


@bp.get("/weeks/<int:week>")
@week_view
def week(enrollment, week, module):
    service.record_opened(enrollment, week, service.local_today(current_user))
    states = {s.week: s for s in service.weeks_for(enrollment)}
    # The next week as the course home lists it: a link once open, else when it opens.
    carry = None
    if week == len(service.curriculum()):  # the last week: choose what to carry forward
        carry = marks.library(enrollment, service.open_practices(enrollment))[0]
    return render_template("course/week.html", module=module, week=week,
                           state=states[week], next_state=states.get(week + 1),
                           weeks=enrollment.cohort.weeks, form=ConfirmForm(), carry=carry)


@bp.post("/weeks/<int:week>/complete")
@week_view
def complete(enrollment, week, module):
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
        return redirect(url_for(".week", week=week))
    done = request.form.get("done", "1") != "0"
    service.set_complete(enrollment, week, service.local_today(current_user), done)
    if done:
        flash(f"Week {week} is marked complete. Well done for making the time.", "info")
    else:
        flash(f"Week {week} is no longer marked complete.", "info")
    return redirect(url_for(".week", week=week))


@bp.get("/weeks/<int:week>/practices/<slug>")
@week_view
def practice(enrollment, week, module, slug):
    found = service.find_practice(module, slug) if module else None
    if found is None:
        abort(404)
    return render_practice(found, week, enrollment=enrollment)


def render_practice(practice, week=None, *, enrollment):
    """The practice page: the player's pauses for both lengths come from the definition.
    Opening it puts it in the participant's own library."""
    marks.record_opened(enrollment, practice.slug, service.local_today(current_user))
    favourite = marks.marks(enrollment)[practice.slug].favourite
    grounding = service.practice_library().get(GROUNDING)
    grounding_url = None
    if grounding and grounding.slug != practice.slug:
        grounding_url = url_for(".any_practice", slug=grounding.slug)
    return render_template("course/practice.html", practice=practice, week=week,
                           grounding_url=grounding_url,
                           short_pauses=practice.pauses_for(practice.short_minutes),
                           long_pauses=practice.pauses_for(practice.long_minutes),
                           favourite=favourite, form=ConfirmForm(),
                           recording=recordings.own(practice.slug))


@bp.get("/assets/plotly-<version>.min.js")
def plotly_js(version):
    """plotly.js from the installed plotly package: our own copy, never a CDN. The version
    is in the address, so browsers may keep it for a year."""
    if version != plotly.__version__:
        return redirect(url_for(".plotly_js", version=plotly.__version__))
    if request.accept_encodings["gzip"]:
        # 4.8 MB as it comes, about 1.4 MB compressed: a phone's first chart page waits
        # for this file before it shows a chart.
        response = Response(_plotly_gzipped(), mimetype="text/javascript")
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(PLOTLY_JS, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@lru_cache(maxsize=1)
def _plotly_gzipped() -> bytes:
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=9, mtime=0)
