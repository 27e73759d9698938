"""The participant's side of enrollment: the welcome page their invitation lands on, the
calendar download, and leaving the course."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..auth.models import PARTICIPANT
from ..core.access import require_roles
from ..core.tenancy import org_get_or_404, org_select
from ..core.timeutil import now_utc
from ..extensions import db
from . import hooks, joining, schedule
from .enrollment import join, withdraw
from .forms import ActionForm
from .ics import cohort_calendar
from .models import WITHDRAWN, Cohort, Enrollment

bp = Blueprint("participation", __name__)
require_roles(bp, PARTICIPANT)


def _own_enrollment(cohort_id: int) -> tuple[Cohort, Enrollment]:
    cohort = org_get_or_404(Cohort, cohort_id)
    enrollment = db.session.scalar(org_select(Enrollment, Enrollment.cohort_id == cohort.id,
                                              Enrollment.user_id == current_user.id))
    if enrollment is None:
        abort(404)
    return cohort, enrollment


@bp.get("/welcome/<int:cohort_id>")
def welcome(cohort_id):
    mine = db.session.scalar(org_select(Enrollment, Enrollment.cohort_id == cohort_id,
                                        Enrollment.user_id == current_user.id))
    if mine is None:
        # HR moved them after the invitation went out: the link still names the old cohort.
        # Only a cohort they were moved out of: any other answers as one that does not
        # exist, so no id tells whether a cohort of the organisation exists.
        current = db.session.scalars(org_select(
            Enrollment, Enrollment.user_id == current_user.id,
            Enrollment.status != WITHDRAWN)).all()
        moved_from = [e for e in current if cohort_id in e.answer_cohort_ids]
        if len(current) == 1 and moved_from:
            return redirect(url_for("participation.welcome", cohort_id=current[0].cohort_id))
    cohort, enrollment = _own_enrollment(cohort_id)
    if cohort.is_draft:  # HR moved them into a course still being planned: not open yet
        return render_template("cohorts/welcome_draft.html", cohort=cohort)
    now = now_utc()
    joined_now = join(enrollment, now)  # signed in before being invited here, say
    if joined_now:
        db.session.commit()
    first_visit = joined_now or joining.first_visit(cohort.id)
    survey = hooks.next_survey(enrollment, now)
    return render_template(
        "cohorts/welcome.html", cohort=cohort, enrollment=enrollment, first_visit=first_visit,
        survey=survey if survey and survey.is_open and not survey.done else None,
        survey_name=survey.name.lower() if survey else "",
        openings=schedule.openings(cohort), now=now,
        next_opening=schedule.next_opening(cohort, now),
        next_live=schedule.next_live_session(cohort, now),
        current_week=schedule.current_week(cohort, now), status=schedule.status(cohort, now),
        zone=current_user.display_timezone)


@bp.get("/welcome/<int:cohort_id>/calendar.ics")
def calendar(cohort_id):
    cohort, enrollment = _own_enrollment(cohort_id)
    if enrollment.status == WITHDRAWN:
        abort(404)
    body = cohort_calendar(cohort, current_app.config["BASE_URL"], now_utc())
    filename = f"wellbeing-cohort-{cohort.id}.ics"
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/welcome/<int:cohort_id>/withdraw", methods=["GET", "POST"])
def leave(cohort_id):
    cohort, enrollment = _own_enrollment(cohort_id)
    form = ActionForm()
    if request.method == "POST" and enrollment.status != WITHDRAWN:
        if form.validate_on_submit():
            withdraw(enrollment, current_user, now_utc())
            db.session.commit()
            flash(f"You have left “{cohort.name}”. You will get no more emails about it.",
                  "info")
            return redirect(url_for("participation.welcome", cohort_id=cohort.id))
        flash("That form had expired. Please press the button again.", "error")
    return render_template("cohorts/leave.html", cohort=cohort, enrollment=enrollment,
                           form=form)

