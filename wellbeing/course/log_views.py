"""The home-practice log: log an entry, see your own minutes per week."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..core.pages import rerender_on_csrf_error
from ..core.timeutil import now_utc
from ..extensions import db
from . import practice as log
from . import service
from .blueprint import bp
from .content import OTHER
from .forms import ConfirmForm, PracticeLogForm
from .models import MAX_MINUTES, PracticeLog
from .views import participant_view


def _choices(enrollment) -> dict[str, list[tuple[str, str]]]:
    """Practices of the weeks open so far, grouped by week with the latest week first (its
    first practice is the default), then 'another practice'."""
    groups: dict[str, list[tuple[str, str]]] = {}
    open_weeks = [state.week for state in service.weeks_for(enrollment) if state.is_open]
    modules = service.modules_for(enrollment.org_id, open_weeks)
    for week in reversed(open_weeks):
        module = modules[week]
        if module and module.practices:
            groups[f"Week {week}: {module.title}"] = [
                (p.slug, p.title) for p in module.practices]
    groups["Other"] = [(OTHER, log.OTHER_LABEL)]
    return groups


def _form(enrollment, **kwargs) -> PracticeLogForm:
    today = service.local_today(current_user)
    return PracticeLogForm(
        choices=_choices(enrollment), first_day=enrollment.cohort.start_date, today=today,
        duplicate_of=lambda day, slug: log.find_duplicate(enrollment, day, slug), **kwargs)


def _page(enrollment, form, status=200):
    rows = log.minutes_by_week(enrollment)
    return render_template(
        "course/practice_log.html", form=form, entries=log.entries(enrollment), rows=rows,
        read_only=g.read_only, cohort=enrollment.cohort,
        summary=log.summary(rows), chart=log.chart_json(rows), title_of=log.practice_title,
        delete_form=ConfirmForm(), this_week=service.this_week(
            service.weeks_for(enrollment, now_utc()))), status


def _in_a_sentence(title: str) -> str:
    """A practice's title as written, in quotes, ending a sentence: no full stop after a
    title that already ends one (“What do I need right now?”)."""
    return f"“{title}”" + ("" if title.endswith(("?", "!", ".")) else ".")


@bp.route("/practice", methods=["GET", "POST"])
@rerender_on_csrf_error
@participant_view(past=True)
def practice_log(enrollment):
    form = _form(enrollment)
    if form.is_submitted() and form.validate():
        # False: this very form was already stored (a double-click); say the same.
        log.add_entry(enrollment, form.day.data, form.practice.data, form.minutes.data,
                      form.note.data, form.entry_token.data)
        flash(f"Logged {form.minutes.data} minutes of "
              f"{_in_a_sentence(log.practice_title(form.practice.data))}", "info")
        return redirect(url_for(".practice_log"))
    if not form.is_submitted():
        form.day.data = service.local_today(current_user)
        form.practice.data = request.args.get("practice", "")
        # "Log this practice" on a practice page brings its length along.
        minutes = request.args.get("minutes", type=int)
        if minutes is not None and 1 <= minutes <= MAX_MINUTES:
            form.minutes.data = minutes
    return _page(enrollment, form, 400 if form.errors else 200)


@bp.post("/practice/<int:entry_id>/delete")
@participant_view
def delete_practice(enrollment, entry_id):
    entry = db.session.scalar(select(PracticeLog).filter_by(
        id=entry_id, enrollment_id=enrollment.id))
    if entry is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        db.session.delete(entry)
        db.session.commit()
        flash(f"Deleted: {log.practice_title(entry.practice)} on {entry.day:%A} {entry.day.day} "
              f"{entry.day:%B}, {entry.minutes} minutes. Log it again below if that was a "
              "slip.", "info")
    else:
        flash("That button had expired. Please press it again.", "error")
    return redirect(url_for(".practice_log"))
