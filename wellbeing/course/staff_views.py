"""Staff pages: completion counts per cohort (no names), and the org's own module text."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..audit.service import record
from ..auth.models import ADMIN, FACILITATOR
from ..cohorts import schedule
from ..cohorts.access import cohort_for_staff, visible_cohorts
from ..core.pages import rerender_on_csrf_error
from ..core.suppression import minimum_group_size, rounded_count
from ..core.tenancy import org_select
from ..core.timeutil import now_utc
from ..extensions import db
from . import service
from .blueprint import bp
from .forms import ConfirmForm, ModuleTextForm, OwnModuleForm
from .models import OrgModule

TEXT_FIELDS = ("title", "intention", "reading", "reflection", "home_practice")


def _staff(*roles):
    if current_user.role not in roles:
        abort(403)


@bp.get("/cohorts")
@login_required
def cohorts():
    _staff(ADMIN, FACILITATOR)
    now = now_utc()
    rows = [(c, schedule.status(c, now)) for c in visible_cohorts()]
    return render_template("course/cohorts.html", rows=rows)


@bp.get("/cohorts/<int:cohort_id>/completion")
@login_required
def completion(cohort_id):
    _staff(ADMIN, FACILITATOR)
    cohort = cohort_for_staff(cohort_id)
    participants, counts = service.completion_counts(cohort)
    minimum = minimum_group_size(current_user.org)
    now = now_utc()
    openings = schedule.openings(cohort)
    modules = service.modules_for(cohort.org_id, range(1, len(openings) + 1))
    weeks = []
    for n, opens_at in enumerate(openings, start=1):
        module = modules[n]
        weeks.append({"week": n, "title": module.title if module else None,
                      "opens_at": opens_at, "open": opens_at <= now,
                      "completed": rounded_count(counts.get(n, 0), minimum, participants)})
    return render_template("course/completion.html", cohort=cohort, weeks=weeks,
                           participants=participants, minimum=minimum)


# --- org admins: the course text -----------------------------------------------------------

@bp.get("/modules")
@login_required
def modules():
    _staff(ADMIN)
    shipped = service.curriculum()
    own = {row.week: row for row in db.session.scalars(
        org_select(OrgModule).order_by(OrgModule.week))}
    rows = service.modules_for(current_user.org_id, sorted(set(shipped) | set(own))).values()
    return render_template("course/modules.html", rows=[r for r in rows if r],
                           form=ConfirmForm(), shipped_weeks=len(shipped))


@bp.get("/modules/<int:week>/preview")
@login_required
def preview_week(week):
    """A week as participants see it, with the organisation's own text, for staff who are
    not enrolled: read-only, nothing recorded about anyone."""
    _staff(ADMIN, FACILITATOR)
    weeks = service.weeks_with_modules(current_user.org_id)
    module = service.module_for(current_user.org_id, week) if 1 <= week <= 16 else None
    if module is None:
        abort(404)
    return render_template("course/week.html", module=module, week=week, weeks=weeks,
                           preview=True, last_week=weeks, state=None, next_state=None,
                           carry=None, form=ConfirmForm())


def _practice_choices():
    return [(p.slug, f"{p.title} (week {p.week}, {p.minutes} min)")
            for p in service.practice_library().values()]


def _save(row: OrgModule, form, action: str):
    for name in TEXT_FIELDS:
        setattr(row, name, (getattr(form, name).data or "").strip() or None)
    row.updated_by_id = current_user.id
    db.session.add(row)
    db.session.flush()
    record(current_user.org_id, current_user.id, action, row,
           f"Course text for week {row.week} saved")
    db.session.commit()


@bp.route("/modules/<int:week>/edit", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def edit_module(week):
    _staff(ADMIN)
    shipped = service.curriculum().get(week)
    row = db.session.scalar(org_select(OrgModule, OrgModule.week == week))
    if shipped is None and row is None:
        abort(404)
    own = shipped is None
    if own:
        form = OwnModuleForm(obj=row, first_week=len(service.curriculum()) + 1,
                             taken=set(), choices=_practice_choices())
        del form.week  # an own module keeps its week; remove it and add another instead
        if not form.is_submitted():
            form.practices.data = (row.practice_slugs or "").split()
    else:
        form = ModuleTextForm(obj=row, protected=shipped.protected)
    if form.validate_on_submit():
        if own:
            row.practice_slugs = " ".join(form.practices.data) or None
        _save(row or OrgModule(org_id=current_user.org_id, week=week), form,
              "course.module_text_saved")
        flash(f"Week {week} is saved. Participants see the new text now.", "info")
        return redirect(url_for(".modules"))
    return render_template("course/module_edit.html", form=form, week=week, shipped=shipped,
                           own=own), 400 if form.errors else 200


@bp.route("/modules/<int:week>/restore", methods=["GET", "POST"])
@login_required
def restore_module(week):
    """Ask first (GET): restoring deletes the organisation's own text for that week."""
    _staff(ADMIN)
    row = db.session.scalar(org_select(OrgModule, OrgModule.week == week))
    if row is None:
        abort(404)
    shipped = week in service.curriculum()
    if request.method == "GET":
        return render_template("course/module_restore.html", row=row, week=week,
                               shipped=shipped, form=ConfirmForm())
    if ConfirmForm().validate_on_submit():
        record(current_user.org_id, current_user.id, "course.module_text_restored",
               row, f"Week {week} uses the shipped text again"
               if shipped else f"Own module for week {week} removed")
        db.session.delete(row)
        db.session.commit()
        flash(f"Week {week} uses our text again." if shipped
              else f"Your own module for week {week} is removed.", "info")
    return redirect(url_for(".modules"))


@bp.route("/modules/new", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def new_module():
    _staff(ADMIN)
    taken = set(db.session.scalars(select(OrgModule.week).where(
        OrgModule.org_id == current_user.org_id)))
    first = len(service.curriculum()) + 1
    form = OwnModuleForm(first_week=first, taken=taken, choices=_practice_choices())
    if not form.is_submitted():
        form.week.data = min(set(range(first, 17)) - taken, default=None)
    if form.validate_on_submit():
        row = OrgModule(org_id=current_user.org_id, week=form.week.data,
                        practice_slugs=" ".join(form.practices.data) or None)
        _save(row, form, "course.module_added")
        flash(f"Week {row.week} is added. Cohorts that run {row.week} weeks or more show it.",
              "info")
        return redirect(url_for(".modules"))
    return render_template("course/module_edit.html", form=form, week=None, shipped=None,
                           own=True), 400 if form.errors else 200
