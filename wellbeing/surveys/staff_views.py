"""Staff pages: which questionnaires a cohort uses, and how many people answered.
Never an answer or a score: outcomes are aggregated elsewhere, above the group size."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit.service import record
from ..auth.models import ADMIN, FACILITATOR
from ..cohorts.access import cohort_for_staff, visible_cohorts
from ..cohorts.models import Cohort
from ..core.access import require_roles
from ..core.pages import rerender_on_csrf_error
from ..core.suppression import minimum_group_size
from ..core.timeutil import now_utc
from ..extensions import db
from . import service
from .forms import PlanForm
from .models import WAVES, CohortSurveyPlan
from .staff_counts import WaveCount, wave_counts

bp = Blueprint("survey_staff", __name__)
require_roles(bp, ADMIN, FACILITATOR)

LOCKED_REASON = ("People in this cohort can already answer its surveys, so its "
                 "questionnaires can no longer change: answers before and after the course "
                 "must use the same questions to be comparable.")


def _counts(cohort: Cohort) -> list[WaveCount]:
    return wave_counts(cohort, now_utc(), minimum_group_size(current_user.org))


@bp.get("/")
def index():
    cohorts = [{"cohort": c, "counts": _counts(c)} for c in visible_cohorts()]
    db.session.commit()  # snapshots of waves that closed since the last look
    return render_template("surveys/staff_index.html", cohorts=cohorts,
                           minimum=minimum_group_size(current_user.org))


@bp.get("/<int:cohort_id>/responses")
def responses(cohort_id):
    cohort = cohort_for_staff(cohort_id)
    counts = _counts(cohort)
    db.session.commit()
    return render_template("surveys/staff_responses.html", cohort=cohort,
                           counts=counts, instruments=service.instruments_for(cohort),
                           minimum=minimum_group_size(current_user.org))


@bp.route("/<int:cohort_id>/settings", methods=["GET", "POST"])
@rerender_on_csrf_error
def settings(cohort_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    plan = service.plan_for(cohort)
    locked = service.questionnaires_locked(cohort)
    form = PlanForm(data=None if request.method == "POST" else {
        "instruments": plan.instrument_codes, "followup_enabled": plan.followup_enabled,
        "followup_weeks": plan.followup_weeks})
    if form.validate_on_submit():
        if locked and set(form.instruments.data) != set(plan.instrument_codes):
            form.instruments.errors.append(LOCKED_REASON)
        else:
            ordered = [code for code, _ in form.instruments.choices
                       if code in form.instruments.data]
            saved = db.session.get(CohortSurveyPlan, cohort.id) or plan
            saved.instruments = ",".join(ordered)
            saved.followup_enabled = form.followup_enabled.data
            saved.followup_weeks = form.followup_weeks.data
            db.session.add(saved)
            record(cohort.org_id, current_user.id, "survey_plan.update", cohort,
                   f"Questionnaires: {', '.join(ordered)}; follow-up "
                   f"{'on' if saved.followup_enabled else 'off'}")
            db.session.commit()
            flash("Survey settings saved.", "info")
            return redirect(url_for(".settings", cohort_id=cohort.id))
    return render_template("surveys/staff_settings.html", cohort=cohort, form=form,
                           locked=locked, locked_reason=LOCKED_REASON, waves=WAVES,
                           windows=service.windows(cohort)), 400 if form.errors else 200
