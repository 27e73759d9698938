"""The organisation's settings page."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..audit.service import record
from ..core.pages import rerender_on_csrf_error
from ..extensions import db
from .blueprint import bp
from .forms import OrganizationForm

# Settings as the audit log names them.
SETTINGS = {"name": "name", "timezone": "time zone", "min_group_size": "minimum group size",
            "crisis_resources": "support and crisis resources"}


@bp.route("/settings", methods=["GET", "POST"])
@rerender_on_csrf_error
def settings():
    org = current_user.org
    form = OrganizationForm(obj=org)
    if form.validate_on_submit():
        changed = [label for name, label in SETTINGS.items()
                   if getattr(org, name) != getattr(form, name).data]
        form.populate_obj(org)
        record(org.id, current_user.id, "org.settings_changed", org,
               "Changed: " + (", ".join(changed) or "nothing"))
        db.session.commit()
        flash("Settings saved.", "info")
        return redirect(url_for("orgs.settings"))
    return render_template("orgs/settings.html", form=form), 400 if form.errors else 200
