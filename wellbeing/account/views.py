"""My data: download everything as JSON, or delete the account."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user

from ..auth.models import ADMIN, FACILITATOR, PARTICIPANT
from ..core.access import require_roles
from ..core.pages import rerender_on_csrf_error
from ..core.timeutil import now_utc
from . import exporters, service  # noqa: F401 - the built-in exporters register on import
from .forms import DELETE, DeleteAccountForm

bp = Blueprint("account", __name__)
require_roles(bp, ADMIN, FACILITATOR, PARTICIPANT)


@bp.get("/")
def index():
    return render_template("account/index.html", form=DeleteAccountForm())


@bp.get("/data.json")
def download():
    now = now_utc()
    body = json.dumps(service.export(current_user, now), indent=2, ensure_ascii=False)
    name = f"wellbeing-my-data-{now.date().isoformat()}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.post("/delete")
@rerender_on_csrf_error
def delete():
    if current_user.role != PARTICIPANT:
        abort(403)
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("account/index.html", form=form), 400
    user = current_user._get_current_object()
    logout_user()
    service.delete_account(user, delete_answers=form.answers.data == DELETE)
    flash("Your account has been deleted." + (
        " Your survey answers were deleted too." if form.answers.data == DELETE else
        " Your anonymous survey answers were kept."), "info")
    return redirect(url_for("main.index"))
