"""The delivery view of a cohort: HR and the cohort's facilitators see counts; HR also
sees failed messages, with who, why and a retry button."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..audit.service import record
from ..auth.models import User
from ..cohorts.access import cohort_for_staff
from ..core.tenancy import org_select
from ..core.timeutil import now_utc
from ..extensions import db
from ..notifications.service import retry
from . import report


def staff_only():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin"))
    if not current_user.is_staff:
        abort(403)
    return None


def delivery(cohort_id: int):
    if (refused := staff_only()) is not None:
        return refused
    cohort = cohort_for_staff(cohort_id)
    org = current_user.org
    failed = report.failed(cohort) if current_user.is_admin else []
    names = {u.id: u.name for u in db.session.scalars(org_select(
        User, User.id.in_({m.user_id for m in failed if m.user_id})))} if failed else {}
    return render_template("reminders/delivery.html", cohort=cohort, now=now_utc(),
                           rows=report.counts(cohort, org), columns=report.COLUMNS,
                           upcoming=report.upcoming(cohort), failed=failed,
                           names=names, kind_names=report.NAMES, handle=report.handle,
                           progress_label=report.PROGRESS_LABEL)


def retry_message(cohort_id: int, message: str):
    if (refused := staff_only()) is not None:
        return refused
    cohort = cohort_for_staff(cohort_id, admin_only=True)
    message = report.failed_by_handle(cohort, message)
    if message is None:
        abort(404)
    retry(message)
    record(cohort.org_id, current_user.id, "message.resent", cohort,
           f"Sent a failed email ({message.kind}) again")
    db.session.commit()
    flash(f"{report.NAMES.get(message.kind, message.kind.capitalize())} to {message.to_email} "
          "will be sent again now.", "info")
    return redirect(url_for("reminders.delivery", cohort_id=cohort.id))
