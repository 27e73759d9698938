"""Practices outside a week's page: any open practice by name, the pocket forms for the
middle of a working day, the safety page and where the practices come from."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import marks, service
from .blueprint import bp
from .forms import ConfirmForm
from .views import participant_view, render_practice


def _open_or_404(enrollment, slug: str):
    """A practice this person may open now, else not found."""
    practice = service.open_practice(enrollment, slug)
    if practice is None:
        abort(404)
    return practice


@bp.get("/practices/<slug>")
@participant_view
def any_practice(enrollment, slug):
    """A practice of an open week, or one offered from day one (feet on the ground)."""
    practice = _open_or_404(enrollment, slug)
    return render_practice(practice, enrollment=enrollment)


@bp.get("/pocket")
@participant_view
def pockets(enrollment):
    return render_template("course/pockets.html",
                           practices=[p for p in service.open_practices(enrollment) if p.pocket])


@bp.get("/pocket/<slug>")
@participant_view
def pocket(enrollment, slug):
    practice = service.open_practice(enrollment, slug)
    if practice is None or not practice.pocket:
        abort(404)
    return render_template("course/pocket.html", practice=practice)


@bp.get("/too-much")
@participant_view
def too_much(enrollment):
    return render_template("course/too_much.html")


@bp.get("/where-these-practices-come-from")
@participant_view
def credits(enrollment):
    return render_template("course/credits.html")


@bp.get("/my-practices")
@participant_view
def library(enrollment):
    opened, not_yet = marks.library(enrollment, service.open_practices(enrollment))
    return render_template("course/library.html", opened=opened, not_yet=not_yet,
                           form=ConfirmForm())


@bp.post("/my-practices/<slug>/favourite")
@participant_view
def favourite(enrollment, slug):
    practice = _open_or_404(enrollment, slug)
    if not ConfirmForm().validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
    else:
        keep = request.form.get("keep") == "1"
        marks.set_favourites(enrollment, {slug} if keep else set(), {slug},
                             service.local_today(current_user))
        flash(f"{practice.title} is {'now one of' if keep else 'no longer in'} your "
              "favourites.", "info")
    back, week = request.form.get("back"), request.form.get("week", type=int)
    if back == "library":
        return redirect(url_for(".library"))
    if week is not None and 1 <= week <= len(service.curriculum()):
        return redirect(url_for(".practice", week=week, slug=slug))  # stay in the week
    return redirect(url_for(".any_practice", slug=slug))


@bp.post("/my-practices/carry-forward")
@participant_view
def carry_forward(enrollment):
    """Week 8's choice of practices to keep: they become the favourites."""
    if not ConfirmForm().validate_on_submit():
        flash("That button had expired. Please press it again.", "error")
        return redirect(url_for(".week", week=len(service.curriculum())))
    opened = {p.slug for p, _ in marks.library(enrollment, service.open_practices(enrollment))[0]}
    chosen = set(request.form.getlist("keep")) & opened
    marks.set_favourites(enrollment, chosen, opened, service.local_today(current_user))
    flash(f"You are carrying {len(chosen)} practice{'s' if len(chosen) != 1 else ''} forward; "
          "they wait for you at the top of My practices.", "info")
    return redirect(url_for(".library"))
