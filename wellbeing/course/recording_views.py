"""An organisation's own recordings of the practices: admins upload and remove them;
everyone signed in to that organisation can play them on the practice page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..audit.service import record
from ..auth.models import ADMIN
from ..core.pages import error_page, rerender_on_csrf_error
from ..extensions import db
from . import recordings, service
from .blueprint import bp
from .forms import ConfirmForm, RecordingForm


def _practice_or_404(slug):
    practice = service.practice_library().get(slug)
    if practice is None:
        abort(404)
    return practice


def _admin():
    if current_user.role != ADMIN:
        abort(403)


@bp.get("/recordings")
@login_required
def recordings_list():
    _admin()
    return render_template("course/recordings.html",
                           practices=service.practice_library().values(),
                           own=recordings.all_own())


def _upload_page(practice, form, status=200):
    return render_template("course/recording_edit.html", practice=practice, form=form,
                           recording=recordings.own(practice.slug),
                           delete_form=ConfirmForm(formdata=None),
                           max_mb=recordings.max_bytes() / 1048576), status


@bp.route("/recordings/<slug>", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def recording_edit(slug):
    _admin()
    practice = _practice_or_404(slug)
    form = RecordingForm(max_bytes=recordings.max_bytes(), sniff=recordings.sniff)
    if not form.validate_on_submit():
        return _upload_page(practice, form, 400 if form.errors else 200)
    row = recordings.save(current_user.org_id, slug, form.data_bytes, form.content_type,
                          current_user.id)
    record(current_user.org_id, current_user.id, "course.recording_uploaded", row,
           f"Recording for {practice.title} uploaded ({row.size:,} bytes)")
    db.session.commit()
    flash(f"Your recording of {practice.title} is saved. Participants are offered it first.",
          "info")
    return redirect(url_for(".recordings_list"))


@bp.post("/recordings/<slug>/delete")
@login_required
def recording_delete(slug):
    _admin()
    practice = _practice_or_404(slug)
    row = recordings.own(slug)
    if row is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        record(current_user.org_id, current_user.id, "course.recording_removed", row,
               f"Recording for {practice.title} removed")
        db.session.delete(row)
        db.session.commit()
        flash(f"The recording of {practice.title} is removed.", "info")
    return redirect(url_for(".recordings_list"))


@bp.get("/recordings/<slug>/audio")
@login_required
def recording_audio(slug):
    """Only to people signed in to the recording's organisation; with its checked type,
    its length, no sniffing, and byte ranges so the player can seek."""
    row = recordings.own(slug)
    if row is None:
        abort(404)
    response = Response(row.audio, mimetype=row.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    response.last_modified = row.uploaded_at
    return response.make_conditional(request, accept_ranges=True,
                                     complete_length=row.size)


@bp.errorhandler(413)
def recording_too_large(error):
    """A file over the request limit is explained on the upload form."""
    if request.endpoint != "course.recording_edit":
        return error_page(413)
    practice = _practice_or_404(request.view_args["slug"])
    form = RecordingForm(formdata=None, max_bytes=recordings.max_bytes(),
                         sniff=recordings.sniff)
    form.audio.errors = [f"That file is larger than {recordings.max_bytes() / 1048576:.1f} "
                         "MB. Save it at a lower bit rate and try again."]
    return _upload_page(practice, form, 413)
