"""The People page: HR invites staff, changes roles, deactivates and reactivates them."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.models import ROLE_LABELS, STAFF_ROLES, User
from ..core.pages import rerender_on_csrf_error
from ..core.tenancy import org_get_or_404
from ..core.timeutil import now_utc
from ..extensions import db
from . import people
from .blueprint import bp
from .forms import StaffActionForm, StaffInviteForm


def _page(form, status=200, problem=None):
    return render_template("orgs/people.html", form=form, staff=people.staff(current_user.org_id),
                           action_form=StaffActionForm(), roles=ROLE_LABELS,
                           problem=problem), status


@bp.route("/people", methods=["GET", "POST"])
@rerender_on_csrf_error
def people_page():
    form = StaffInviteForm()
    if form.validate_on_submit():
        try:
            user = people.invite(current_user.org, current_user, email=form.email.data,
                                 name=form.name.data, role=form.role.data, now=now_utc())
        except people.PeopleProblem as problem:
            db.session.rollback()
            form.email.errors.append(str(problem))
            return _page(form, 400)
        db.session.commit()
        flash(f"Invitation sent to {user.email}. {user.name} appears as "
              f"{ROLE_LABELS[user.role].lower()} once they accept.", "info")
        return redirect(url_for("orgs.people_page"))
    return _page(form, 400 if form.errors else 200)


@bp.post("/people/<int:user_id>/<any(facilitator, admin, deactivate, reactivate, resend):action>")
def people_action(user_id, action):
    user = org_get_or_404(User, user_id)
    if user.role not in STAFF_ROLES:
        abort(404)
    if not StaffActionForm().validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
        return redirect(url_for("orgs.people_page"))
    try:
        if action in STAFF_ROLES:
            people.change_role(user, current_user, action)
            done = f"{user.name} is now {ROLE_LABELS[user.role].lower()}."
        elif action == "resend":
            if user.accepted_at is not None:
                abort(409)
            people.resend(user, current_user, now_utc())
            done = f"A new invitation is on its way to {user.email}."
        else:
            people.set_active(user, current_user, action == "reactivate")
            done = (f"{user.name} can sign in again." if action == "reactivate"
                    else f"{user.name} can no longer sign in.")
    except people.PeopleProblem as problem:
        db.session.rollback()
        return _page(StaffInviteForm(formdata=None), 409, problem=str(problem))
    db.session.commit()
    flash(done, "info")
    return redirect(url_for("orgs.people_page") + f"#person-{user.id}")
