"""Practices outside a week's page: any open practice by name, the pocket forms for the
middle of a working day, the safety page and where the practices come from."""
from flask import abort, render_template

from . import service
from .blueprint import bp
from .views import participant_view, render_practice


@bp.get("/practices/<slug>")
@participant_view
def any_practice(enrollment, slug):
    """A practice of an open week, or one offered from day one (feet on the ground)."""
    practice = service.open_practice(enrollment, slug)
    if practice is None:
        abort(404)
    return render_practice(practice)


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
    return render_template("course/library.html", practices=service.open_practices(enrollment))
