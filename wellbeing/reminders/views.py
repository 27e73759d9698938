"""A person's mail preferences, and one-click unsubscribe (RFC 8058): the link in every
optional email works without a session; a GET asks to confirm, a POST (what a mail
program sends for List-Unsubscribe-Post) turns that kind off at once."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import User
from ..cohorts.models import Enrollment
from ..core.pages import error_page, rerender_on_csrf_error
from ..extensions import db
from .forms import PreferencesForm, parse_clock
from .kinds import CHOICE_BY_FIELD, CHOICES
from .models import QUIET_END, QUIET_START, MailPreference
from .planner import replan_soon
from .unsubscribe import BadToken, read_token


def preference_of(user_id: int) -> MailPreference:
    found = db.session.get(MailPreference, user_id)
    if found is None:
        found = MailPreference(user_id=user_id, week_opened=True, nudges=True,
                               survey_reminders=True, quiet_start=QUIET_START,
                               quiet_end=QUIET_END)
        db.session.add(found)
    return found


def _replan_cohorts_of(user_id: int) -> None:
    replan_soon(db.session.scalars(select(Enrollment.cohort_id).filter_by(user_id=user_id)))


@rerender_on_csrf_error
def preferences():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
    saved = db.session.get(MailPreference, current_user.id)
    form = PreferencesForm(data=None if request.method == "POST" else {
        "week_opened": saved.week_opened if saved else True,
        "nudges": saved.nudges if saved else True,
        "survey_reminders": saved.survey_reminders if saved else True,
        "timezone": current_user.display_timezone,
        "quiet_start": (saved.quiet_start if saved else QUIET_START).strftime("%H:%M"),
        "quiet_end": (saved.quiet_end if saved else QUIET_END).strftime("%H:%M")})
    if form.validate_on_submit():
        preference = preference_of(current_user.id)
        for choice in CHOICES:
            setattr(preference, choice.field, getattr(form, choice.field).data)
        preference.quiet_start = parse_clock(form.quiet_start.data)
        preference.quiet_end = parse_clock(form.quiet_end.data)
        current_user.timezone = form.timezone.data
        _replan_cohorts_of(current_user.id)
        db.session.commit()
        flash("Your email preferences are saved.", "info")
        return redirect(url_for("reminders.preferences"))
    return render_template("reminders/preferences.html", form=form, choices=CHOICES), \
        400 if form.errors else 200


def unsubscribe(token: str):
    try:
        user_id, field = read_token(token)
    except BadToken as problem:
        return error_page(400, str(problem))
    user = db.session.get(User, user_id)
    if user is None:
        return error_page(400, "This unsubscribe link is not valid any more.")
    choice = CHOICE_BY_FIELD[field]
    if request.method == "GET":
        saved = db.session.get(MailPreference, user.id)
        already_off = saved is not None and not getattr(saved, field)
        return render_template("reminders/unsubscribe.html", choice=choice, done=False,
                               already_off=already_off)
    setattr(preference_of(user.id), field, False)
    _replan_cohorts_of(user.id)
    db.session.commit()
    return render_template("reminders/unsubscribe.html", choice=choice, done=True)
