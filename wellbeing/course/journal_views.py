"""The private journal. Every entry route finds entries by author: anyone else, of any
role, gets the same 404 as for an entry that does not exist."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.models import PARTICIPANT
from ..cohorts import participants
from ..core.pages import rerender_on_csrf_error
from . import journal, service
from .blueprint import bp
from .forms import ConfirmForm, JournalForm


def _prompt(week_value):
    """The reflection prompt of an open week, when the entry answers one."""
    enrollment = participants.current_enrollment(current_user)
    value = str(week_value or "")
    week = int(value) if value.isascii() and value.isdigit() and len(value) <= 2 else None
    if enrollment is None or week is None or not service.is_open(enrollment, week):
        return None, None
    module = service.module_for(current_user.org_id, week)
    return (week, module.reflection) if module and module.reflection else (None, None)


def _own_or_404(entry_id):
    entry = journal.own_entry(current_user, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/journal", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def journal_home():
    if current_user.role != PARTICIPANT:
        abort(403)
    form = JournalForm()
    if request.method == "GET":
        form.week.data = request.args.get("week", "")
    week, prompt = _prompt(form.week.data)
    if form.validate_on_submit():
        journal.write(current_user, form.body.data, service.local_today(current_user), week)
        flash("Saved to your private journal.", "info")
        return redirect(url_for(".journal_home"))
    entries = [(e, journal.decrypt(e.body_encrypted)) for e in journal.entries_of(current_user)]
    return render_template("course/journal.html", form=form, entries=entries, prompt=prompt,
                           prompt_week=week), 400 if form.errors else 200


@bp.get("/journal/<int:entry_id>")
@login_required
def journal_entry(entry_id):
    entry = _own_or_404(entry_id)
    return render_template("course/journal_entry.html", entry=entry,
                           text=journal.decrypt(entry.body_encrypted),
                           prompt=_prompt(entry.week)[1])


@bp.route("/journal/<int:entry_id>/edit", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def journal_edit(entry_id):
    entry = _own_or_404(entry_id)
    form = JournalForm()
    if request.method == "GET":
        form.body.data = journal.decrypt(entry.body_encrypted)
    if form.validate_on_submit():
        journal.write(current_user, form.body.data, entry.written_on, entry=entry)
        flash("Your entry is updated.", "info")
        return redirect(url_for(".journal_entry", entry_id=entry.id))
    return render_template("course/journal_edit.html", form=form, entry=entry,
                           prompt=_prompt(entry.week)[1]), 400 if form.errors else 200


@bp.route("/journal/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def journal_delete(entry_id):
    entry = _own_or_404(entry_id)
    if request.method == "GET":  # private writing is deleted for good: ask first
        return render_template("course/journal_delete.html", entry=entry, form=ConfirmForm(),
                               text=journal.decrypt(entry.body_encrypted))
    if ConfirmForm().validate_on_submit():
        journal.delete(entry)
        flash("The entry is deleted.", "info")
        return redirect(url_for(".journal_home"))
    flash("That button had expired. Please press it again.", "error")
    return redirect(url_for(".journal_entry", entry_id=entry.id))
