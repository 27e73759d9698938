"""Staff pages: HR manages every cohort of the org; facilitators see the ones they run."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.utils import secure_filename

from ..audit.service import record
from ..auth.models import ADMIN
from ..core.csv_export import csv_download
from ..core.pages import rerender_on_csrf_error
from ..core.timeutil import now_utc, to_local
from ..extensions import db
from ..notifications.service import KIND_NAMES, undelivered
from . import hooks, invitations, schedule, service
from .access import cohort_for_staff, visible_cohorts_query
from .blueprint import bp
from .delivery import latest_invitations
from .forms import ActionForm, CohortForm
from .models import INVITED, WITHDRAWN, Cohort, Enrollment
from .roster import STATUS_LABELS, roster_query


def _enrolled_counts(cohort_ids) -> dict[int, int]:
    return dict(db.session.execute(
        select(Enrollment.cohort_id, func.count(Enrollment.id))
        .where(Enrollment.cohort_id.in_(cohort_ids), Enrollment.status != WITHDRAWN)
        .group_by(Enrollment.cohort_id)).all())


@bp.get("/")
def index():
    show_archived = request.args.get("archived") == "1"
    query = visible_cohorts_query().options(selectinload(Cohort.facilitators))
    if not show_archived:
        query = query.where(Cohort.archived_at.is_(None))
    cohorts = list(db.session.scalars(query))
    now = now_utc()
    return render_template("cohorts/index.html", cohorts=cohorts, now=now, schedule=schedule,
                           counts=_enrolled_counts([c.id for c in cohorts]),
                           show_archived=show_archived)


def _facilitator_ids(cohort):
    return [u.id for u in cohort.facilitators]


@bp.route("/new", methods=["GET", "POST"])
@rerender_on_csrf_error
def create():
    if current_user.role != ADMIN:
        abort(403)
    org = current_user.org
    form = CohortForm(org_timezone=org.timezone,
                      facilitators=service.org_facilitators(org.id),
                      module_weeks=hooks.weeks_with_modules(org.id))
    if form.validate_on_submit():
        cohort = service.create_cohort(org, current_user, form.data_for_service(),
                                       draft=form.draft.data,
                                       facilitator_ids=form.facilitators.data or [],
                                       now=now_utc())
        db.session.commit()
        flash(f"Cohort “{cohort.name}” created"
              + (" as a draft." if cohort.is_draft else ". Now add people to it."), "info")
        return redirect(url_for("cohorts.enroll", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None), \
        400 if form.errors else 200


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@rerender_on_csrf_error
def edit(cohort_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    form = CohortForm(obj=None if request.method == "POST" else cohort,
                      seats_taken=service.seats_taken(cohort),
                      org_timezone=cohort.timezone,
                      facilitators=service.org_facilitators(cohort.org_id),
                      module_weeks=hooks.weeks_with_modules(cohort.org_id),
                      saved_weeks=cohort.weeks)
    del form.draft
    if request.method == "GET":
        form.facilitators.data = _facilitator_ids(cohort)
        form.has_live_session.data = cohort.live_session_time is not None
        if cohort.live_session_minutes is None:  # offer the new-cohort form's hour
            form.live_session_minutes.data = form.live_session_minutes.default
    closing, new_openings = [], []
    if form.validate_on_submit():
        now = now_utc()
        data = form.data_for_service()
        closing = service.preview_change(cohort, data, now)
        # The confirmation names this exact schedule: editing the dates again asks again.
        signature = data.schedule_signature
        if not closing or form.confirm_close.data == signature:
            change = service.update_cohort(cohort, current_user, data,
                                           form.facilitators.data or [], now)
            db.session.commit()
            flash(_change_message(change), "info")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
        form.confirm_close.data = signature
        new_openings = schedule.openings_for(data.start_date, data.release_time,
                                             data.timezone, data.weeks)
    status = 400 if form.errors else (409 if closing else 200)
    return render_template("cohorts/form.html", form=form, cohort=cohort, closing=closing,
                           old_openings=schedule.openings(cohort),
                           new_openings=new_openings), status


def _change_message(change) -> str:
    if not change.changed:
        return "Nothing changed."
    text = "Saved: " + ", ".join(change.changed) + "."
    if change.rescheduled:
        text += (" Emails not sent yet follow the new dates; any whose moment has passed "
                 "are not sent.")
    if change.closing_weeks:
        weeks = ", ".join(map(str, change.closing_weeks))
        text += (f" Week {weeks} is closed again until it reopens."
                 if len(change.closing_weeks) == 1
                 else f" Weeks {weeks} are closed again until they reopen.")
    return text


@bp.get("/<int:cohort_id>")
def detail(cohort_id):
    cohort = cohort_for_staff(cohort_id)
    admin = current_user.role == ADMIN  # they hold the addresses; facilitators see none
    search = request.args.get("q", "")[:200]
    status = request.args.get("status", "")
    # Status only (invited, joined, left): staff never see one person's progress.
    roster = list(db.session.scalars(roster_query(cohort, search=search, status=status,
                                                  with_email=admin)))
    enrolled = db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.cohort_id == cohort.id)) or 0
    failed = undelivered(cohort.org_id, [e.user_id for e in roster]) if admin else []
    invitations = latest_invitations([e.id for e in roster if e.status == INVITED]) \
        if admin else {}
    return render_template("cohorts/detail.html", cohort=cohort, roster=roster,
                           now=now_utc(), schedule=schedule, action_form=ActionForm(),
                           taken=service.seats_taken(cohort), failed=failed,
                           failed_users={m.user_id for m in failed}, kind_names=KIND_NAMES,
                           search=search, status=status, statuses=STATUS_LABELS,
                           enrolled=enrolled, invitations=invitations,
                           not_joined=_not_joined(cohort) if admin else 0)


def _not_joined(cohort) -> int:
    return db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.cohort_id == cohort.id, Enrollment.status == INVITED)) or 0


@bp.post("/<int:cohort_id>/invitations/resend")
def resend_invitations(cohort_id):
    """A new invitation to everyone who has not joined yet (their old links stop)."""
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    if not ActionForm().validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    now = now_utc()
    waiting = db.session.scalars(select(Enrollment).where(
        Enrollment.cohort_id == cohort.id, Enrollment.status == INVITED)).all()
    sent = sum(1 for enrollment in waiting if invitations.resend(enrollment, cohort, now))
    if sent:
        record(cohort.org_id, current_user.id, "enrollment.invitations_resent", cohort,
               f"Sent {sent} new invitation{'s' if sent != 1 else ''} to people who had not "
               f"joined “{cohort.name}”")
    db.session.commit()
    flash(f"{sent} new invitation{' is' if sent == 1 else 's are'} on the way; the links "
          "sent before no longer work." if sent else "Everyone has joined already.", "info")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


@bp.get("/<int:cohort_id>/roster.csv")
def roster_export(cohort_id):
    """HR's roster download: name, email, status, joined on. No progress, no answers."""
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    rows = ((e.user.name, e.user.email, STATUS_LABELS[e.status],
             to_local(e.joined_at, cohort.timezone).date().isoformat() if e.joined_at else "")
            for e in db.session.scalars(roster_query(cohort)))
    filename = f"roster-{secure_filename(cohort.name) or 'cohort'}-{cohort.id}.csv"
    return csv_download(filename, ["Name", "Email", "Status", "Joined on"], rows)


@bp.get("/<int:cohort_id>/schedule")
def schedule_page(cohort_id):
    cohort = cohort_for_staff(cohort_id)
    return render_template("cohorts/schedule.html", cohort=cohort,
                           openings=schedule.openings(cohort), now=now_utc(),
                           end=schedule.course_end_at(cohort))


@bp.route("/<int:cohort_id>/<any(archive, unarchive, publish):action>", methods=["GET", "POST"])
def lifecycle(cohort_id, action):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    if request.method == "GET":  # archiving and publishing say what they will do first
        if action == "unarchive":
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
        return render_template("cohorts/confirm_action.html", cohort=cohort, action=action,
                               taken=service.seats_taken(cohort), form=ActionForm())
    if not ActionForm().validate_on_submit():
        flash("That form had expired. Please try again.", "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    now = now_utc()
    if action == "archive" and cohort.archived_at is None:
        service.archive(cohort, current_user, now)
        flash(f"“{cohort.name}” is archived. It no longer appears in the list.", "info")
    elif action == "unarchive" and cohort.archived_at is not None:
        service.unarchive(cohort, current_user)
        flash(f"“{cohort.name}” is back in the list.", "info")
    elif action == "publish" and cohort.is_draft:
        sent = service.publish(cohort, current_user, now)
        on_the_way = "1 invitation is on its way" if sent == 1 else \
            f"{sent} invitations are on their way"
        flash(f"“{cohort.name}” is published; {on_the_way}.", "info")
    db.session.commit()
    if action == "archive":
        return redirect(url_for("cohorts.index"))
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
