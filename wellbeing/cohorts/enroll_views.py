"""HR's enrollment pages: add one person, CSV upload → preview → confirm, withdraw, move."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.service import record
from ..auth.service import find_user
from ..core.csv_export import csv_download
from ..core.pages import error_page, rerender_on_csrf_error
from ..core.tenancy import org_get_or_404, org_select
from ..core.timeutil import now_utc
from ..core.words import counted
from ..extensions import db
from . import csvimport, invitations, schedule
from .access import cohort_for_staff
from .blueprint import bp
from .enrollment import (
    EnrollmentProblem,
    Person,
    Stale,
    confirm_import,
    create_preview,
    enroll_one,
    load_preview,
    move,
    withdraw,
)
from .forms import ActionForm, ConfirmForm, EnrollOneForm, MoveForm, UploadForm, option
from .models import WITHDRAWN, Cohort, Enrollment, EnrollmentImport
from .service import seats_taken

PAGE = 500


def _enroll_page(cohort, one=None, upload=None, status=200, file_problem=None,
                 one_warning=None):
    one = one or EnrollOneForm(prefix="one")
    if cohort.is_draft:  # nobody is invited before the cohort is published
        one.submit.label.text = "Enroll (invited when you publish)"
    return render_template("cohorts/enroll.html", cohort=cohort, taken=seats_taken(cohort),
                           max_rows=csvimport.MAX_ROWS,
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
                           one=one,
                           upload=upload or UploadForm(prefix="csv"),
                           file_problem=file_problem, one_warning=one_warning), status


@bp.route("/<int:cohort_id>/enroll", methods=["GET", "POST"])
@rerender_on_csrf_error
def enroll(cohort_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    form = EnrollOneForm(prefix="one")
    if request.method == "GET" or not form.validate_on_submit():
        return _enroll_page(cohort, one=form, status=400 if form.errors else 200)
    person = Person(email=form.email.data, name=form.name.data,
                    department=form.department.data or "", timezone=form.timezone.data or "")
    also = _also_in(cohort, form.email.data)
    if also and form.also_ok.data != "yes":  # ask before a second course, not after
        form.also_ok.data = "yes"
        return _enroll_page(cohort, one=form, status=409, one_warning=(
            f"{form.name.data} is already in {also}. If this cohort replaces that one, "
            "move them from that cohort's page instead. To enroll them in both, press "
            "“Enroll and invite” again."))
    try:
        enrollment = enroll_one(cohort, current_user, person, now_utc())
        db.session.commit()
    except (EnrollmentProblem, IntegrityError) as problem:
        db.session.rollback()
        form.email.errors.append(str(problem) if isinstance(problem, EnrollmentProblem) else
                                 "That person was enrolled by someone else just now.")
        return _enroll_page(cohort, one=form, status=400)
    flash(f"{enrollment.user.name} is enrolled"
          + (" (invitations go out when you publish the cohort)." if cohort.is_draft
             else " and an invitation is on its way."), "info")
    return redirect(url_for("cohorts.enroll", cohort_id=cohort.id))


def _also_in(cohort, email: str) -> str | None:
    """The other current or upcoming course of the organisation this address is in."""
    user = find_user(cohort.org_id, email)
    if user is None:
        return None
    return csvimport.current_courses(cohort, [user.id]).get(user.id)


@bp.errorhandler(413)
def upload_too_large(error):
    """A file over the size limit is explained on the upload form, not a bare error page
    (the request body was never read, so there is nothing else to keep)."""
    if request.endpoint != "cohorts.upload" or not request.view_args:
        return error_page(413)
    cohort = cohort_for_staff(request.view_args["cohort_id"], admin_only=True)
    limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    problem = (f"The file is larger than {limit} MB. Save it as CSV (not Excel) with only "
               f"the columns needed, or split it into files of up to "
               f"{csvimport.MAX_ROWS:,} rows.")
    return _enroll_page(cohort, EnrollOneForm(prefix="one", formdata=None),
                        UploadForm(prefix="csv", formdata=None), status=413,
                        file_problem=problem)


@bp.post("/<int:cohort_id>/imports")
@rerender_on_csrf_error
def upload(cohort_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    form = UploadForm(prefix="csv")
    if not form.validate_on_submit():
        return _enroll_page(cohort, upload=form, status=400)
    storage = form.file.data
    try:
        preview = create_preview(cohort, current_user, storage.filename, storage.read())
    except csvimport.FileProblem as problem:
        return _enroll_page(cohort, upload=form, status=400,
                            file_problem=f"{storage.filename}: {problem}")
    db.session.commit()
    return redirect(url_for("cohorts.preview", cohort_id=cohort.id, token=preview.token))


def _load_preview(cohort, token) -> EnrollmentImport:
    preview = db.session.scalar(org_select(EnrollmentImport, EnrollmentImport.token == token,
                                           EnrollmentImport.cohort_id == cohort.id))
    if preview is None:
        abort(404)
    return preview


@bp.get("/<int:cohort_id>/imports/<token>")
def preview(cohort_id, token, form=None, problem=None, status=200):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    record = _load_preview(cohort, token)
    payload = load_preview(record)
    rows = payload["rows"]
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    return render_template(
        "cohorts/preview.html", cohort=cohort, record=record, counts=payload["counts"],
        problems=[r for r in rows if r["status"] == csvimport.ERROR][:PAGE],
        rows=rows[(page - 1) * PAGE:page * PAGE], page=page, pages=pages,
        form=form or ConfirmForm(), problem=problem, taken=seats_taken(cohort),
        ignored=payload.get("ignored", []), other_languages=csvimport.other_languages(rows),
        over_capacity=csvimport.over_capacity(rows)), status


@bp.get("/<int:cohort_id>/enroll/template.csv")
def csv_template(cohort_id):
    """A file to fill in: the columns we read, and one example row."""
    cohort_for_staff(cohort_id, admin_only=True)
    return csv_download("wellbeing-enrollment-template.csv", csvimport.TEMPLATE_HEADER,
                        [csvimport.TEMPLATE_EXAMPLE])


@bp.post("/<int:cohort_id>/imports/<token>")
@rerender_on_csrf_error
def confirm(cohort_id, token):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    record = _load_preview(cohort, token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return preview(cohort_id, token, form=form, status=400)
    try:
        imported = confirm_import(record, cohort, current_user, now_utc())
        db.session.commit()
    except Stale as stale:
        flash("Something changed since you checked this file (people were enrolled or "
              "places filled). Here is the file checked again; nothing was imported.", "warning")
        return redirect(url_for("cohorts.preview", cohort_id=cohort.id, token=stale.preview.token))
    except (EnrollmentProblem, IntegrityError) as problem:
        db.session.rollback()
        text = (str(problem) if isinstance(problem, EnrollmentProblem) else
                "Some of these people were enrolled by someone else at the same moment. "
                "Nothing was imported; upload the file again to check it.")
        return preview(cohort_id, token, problem=text, status=409)
    one = imported == 1
    flash(f"{counted(imported, 'person', 'people')} enrolled from {record.filename}"
          + ((". Their invitation goes out" if one else ". Invitations go out")
             + " when you publish the cohort." if cohort.is_draft
             else "; their invitation is on its way." if one
             else f"; {imported:,} invitations are on their way."), "info")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


def _load_enrollment(cohort, enrollment_id) -> Enrollment:
    enrollment = org_get_or_404(Enrollment, enrollment_id)
    if enrollment.cohort_id != cohort.id:
        abort(404)
    return enrollment


@bp.route("/<int:cohort_id>/enrollments/<int:enrollment_id>/withdraw", methods=["GET", "POST"])
def withdraw_person(cohort_id, enrollment_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    enrollment = _load_enrollment(cohort, enrollment_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        withdraw(enrollment, current_user, now_utc())
        db.session.commit()
        flash(f"{enrollment.user.name} is withdrawn from “{cohort.name}” and gets no more "
              "emails about it.", "info")
        return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/withdraw_person.html", cohort=cohort,
                           enrollment=enrollment, form=form)


@bp.post("/<int:cohort_id>/enrollments/<int:enrollment_id>/resend")
def resend_invitation(cohort_id, enrollment_id):
    """A new invitation for one person who has not joined; the old link stops working."""
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    enrollment = _load_enrollment(cohort, enrollment_id)
    if not ActionForm().validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
    elif invitations.resend(enrollment, cohort, now_utc()):
        record(cohort.org_id, current_user.id, "enrollment.invitation_resent", enrollment,
               f"Sent {enrollment.user.name} a new invitation to “{cohort.name}”")
        db.session.commit()
        flash(f"A new invitation is on its way to {enrollment.user.email}. The link sent "
              "before no longer works.", "info")
    else:
        flash(f"{enrollment.user.name} has no invitation to send again "
              f"({'the cohort is a draft' if cohort.is_draft else 'they have joined or left'}).",
              "error")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id) + "#roster-heading")


@bp.route("/<int:cohort_id>/enrollments/<int:enrollment_id>/move", methods=["GET", "POST"])
@rerender_on_csrf_error
def move_person(cohort_id, enrollment_id):
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    enrollment = _load_enrollment(cohort, enrollment_id)
    if enrollment.status == WITHDRAWN:
        abort(404)
    now = now_utc()
    targets = [c for c in db.session.scalars(org_select(
        Cohort, Cohort.id != cohort.id, Cohort.archived_at.is_(None)).order_by(Cohort.start_date))
        if schedule.course_end_at(c) > now]  # a finished course is no place to move to
    form = MoveForm()
    form.target.choices = [option(0, "Choose a cohort")] + [
        option(c.id, f"{c.name} ({'draft, ' if c.is_draft else ''}"
               f"starts {c.start_date:%d %b %Y}, {seats_taken(c)}"
               f"{f' of {c.capacity}' if c.capacity else ''} enrolled)") for c in targets]
    if form.validate_on_submit():
        target = db.session.scalar(select(Cohort).where(
            Cohort.id == form.target.data, Cohort.org_id == cohort.org_id))
        try:
            if target is None:
                raise EnrollmentProblem("Choose a cohort from the list.")
            move(enrollment, target, current_user, now)
            db.session.commit()
        except EnrollmentProblem as problem:
            db.session.rollback()
            form.target.errors.append(str(problem))
        else:
            flash(f"{enrollment.user.name} moved to “{target.name}”"
                  + (", a draft: they get an email about it when you publish it."
                     if target.is_draft else "."), "info")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/move_person.html", cohort=cohort, enrollment=enrollment,
                           form=form, drafts=[c.name for c in targets if c.is_draft]), \
        400 if form.errors else 200
