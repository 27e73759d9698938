"""Announcements: write, preview, confirm. A facilitator of the cohort (or HR) writes;
the preview shows the email as participants will read it; only the confirmation sends."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..cohorts.access import cohort_for_staff
from ..core.pages import rerender_on_csrf_error
from ..core.timeutil import now_utc
from ..extensions import db
from . import announcements
from .delivery_views import staff_only
from .forms import AnnouncementForm, ConfirmForm
from .models import Announcement


def _draft(cohort, announcement_id: int) -> Announcement:
    found = db.session.get(Announcement, announcement_id)
    if found is None or found.cohort_id != cohort.id or found.org_id != cohort.org_id:
        abort(404)
    return found


@rerender_on_csrf_error
def write(cohort_id: int, announcement_id: int | None = None):
    if (refused := staff_only()) is not None:
        return refused
    cohort = cohort_for_staff(cohort_id)
    draft = _draft(cohort, announcement_id) if announcement_id else None
    if draft is not None and draft.sent_at is not None:
        flash("That announcement has been sent; it can no longer change.", "info")
        return redirect(url_for("reminders.preview", cohort_id=cohort.id,
                                announcement_id=draft.id))
    form = AnnouncementForm(obj=draft)
    if form.validate_on_submit():
        if draft is None:
            draft = Announcement(org_id=cohort.org_id, cohort_id=cohort.id,
                                 author_id=current_user.id)
            db.session.add(draft)
        form.populate_obj(draft)
        db.session.commit()
        return redirect(url_for("reminders.preview", cohort_id=cohort.id,
                                announcement_id=draft.id))
    return render_template("reminders/announce.html", cohort=cohort, form=form,
                           draft=draft), 400 if form.errors else 200


@rerender_on_csrf_error
def preview(cohort_id: int, announcement_id: int):
    if (refused := staff_only()) is not None:
        return refused
    cohort = cohort_for_staff(cohort_id)
    draft = _draft(cohort, announcement_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if announcements.send(draft, current_user, now_utc()):
            db.session.commit()
            flash(f"“{draft.subject}” is on its way to every active participant of "
                  f"{cohort.name}.", "info")
        else:
            flash("That announcement had already been sent; it was not sent again.", "info")
        return redirect(url_for("reminders.delivery", cohort_id=cohort.id))
    return render_template("reminders/announce_preview.html", cohort=cohort, draft=draft,
                           form=form, body_html=announcements.body_html(draft),
                           named=[] if draft.sent_at else announcements.named_people(draft))
