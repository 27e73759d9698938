"""A participant joins their course when they first sign in, however they arrive: from the
invitation's link, from the sign-in page, or from a sign-in link they asked for later.

Cohorts listen for Flask-Login's `user_logged_in` signal (auth knows nothing of cohorts):
every invited enrollment of a published cohort becomes joined, with its audit event, and
the welcome page still greets them the first time it opens."""
from flask import Flask, session
from flask_login import user_logged_in
from sqlalchemy import select

from ..auth.models import PARTICIPANT
from ..core.timeutil import now_utc
from ..extensions import db
from .enrollment import join
from .models import INVITED, Cohort, Enrollment

JUST_JOINED = "just_joined_cohorts"


def _joined_on_sign_in(app: Flask, user, **_extra) -> None:
    if user.role != PARTICIPANT:
        return
    invited = db.session.scalars(
        select(Enrollment).join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user.id, Enrollment.status == INVITED,
               Cohort.published_at.is_not(None)))  # a draft is not open to join yet
    now = now_utc()
    joined = [enrollment.cohort_id for enrollment in invited if join(enrollment, now)]
    if joined:
        db.session.commit()
        session[JUST_JOINED] = sorted(set(session.get(JUST_JOINED, [])) | set(joined))


def first_visit(cohort_id: int) -> bool:
    """True once, on the first welcome page after joining this cohort."""
    waiting = session.get(JUST_JOINED, [])
    if cohort_id not in waiting:
        return False
    session[JUST_JOINED] = [c for c in waiting if c != cohort_id]
    return True


def install(app: Flask) -> None:
    user_logged_in.connect(_joined_on_sign_in, app, weak=False)
