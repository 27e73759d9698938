"""Outcome dashboards: a cohort's for its facilitators and HR, the organisation's for HR,
their CSV exports and printable pages. Only snapshots of closed cohorts are read, and
every figure comes from report.py, which puts it through the suppression rules."""
from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from .. import instruments as catalogue
from ..auth.models import ADMIN, FACILITATOR
from ..cohorts.access import cohort_for_staff, visible_cohorts
from ..core.access import require_roles
from ..core.suppression import minimum_group_size
from ..core.timeutil import now_utc
from ..extensions import db
from . import export, figures, report, snapshots

bp = Blueprint("outcomes", __name__)
require_roles(bp, ADMIN, FACILITATOR)


def _minimum() -> int:
    return minimum_group_size(current_user.org)


@bp.get("/")
def index():
    now = now_utc()
    rows = [{"cohort": c, "closed": snapshots.is_closed(c, now),
             "closes_at": None if c.is_draft else snapshots.post_closes_at(c)}
            for c in visible_cohorts()]
    return render_template("outcomes/index.html", rows=rows)


def _cohort_page(cohort_id):
    cohort = cohort_for_staff(cohort_id)
    snapshot = snapshots.take_due(cohort, now_utc())
    db.session.commit()  # a snapshot taken by this look is kept
    view = report.cohort_view(snapshot.data, _minimum()) if snapshot else None
    return cohort, snapshot, view


def _charts(view, drawn: bool = True) -> dict:
    """The figures and their sentences; a printable page keeps the sentences only."""
    if view is None:
        return {}
    return {"instruments": {r.instrument.code: {
                "before_after": figures.before_after(r) if drawn else None,
                "reliable": figures.reliable_shares(r) if drawn else None,
                "summary": report.summary_sentence(r)} for r in view.results},
            "funnel": figures.funnel(view) if drawn else None,
            "practice": figures.practice(view) if drawn else None,
            "stop": (report.funnel_sentence(view.funnel, _minimum()) if drawn
                     else report.stop_sentence(view.funnel)),
            "drawn": drawn}


@bp.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id):
    cohort, snapshot, view = _cohort_page(cohort_id)
    return render_template("outcomes/cohort.html", cohort=cohort, snapshot=snapshot,
                           view=view, charts=_charts(view), minimum=_minimum(),
                           closes_at=None if cohort.is_draft
                           else snapshots.post_closes_at(cohort),
                           caveat=report.SUBSCALE_CAVEAT, printable=False)


@bp.get("/cohorts/<int:cohort_id>/print")
def cohort_print(cohort_id):
    cohort, snapshot, view = _cohort_page(cohort_id)
    return render_template("outcomes/cohort.html", cohort=cohort, snapshot=snapshot,
                           view=view, charts=_charts(view, drawn=False), minimum=_minimum(),
                           closes_at=None,
                           caveat=report.SUBSCALE_CAVEAT, printable=True)


@bp.get("/cohorts/<int:cohort_id>/outcomes.csv")
def cohort_csv(cohort_id):
    cohort, snapshot, view = _cohort_page(cohort_id)
    if view is None:
        abort(404)
    return _csv(export.cohort_rows(cohort, view), f"outcomes-cohort-{cohort.id}.csv")


def _org_page():
    if current_user.role != ADMIN:
        abort(403)
    cohorts = visible_cohorts()
    kept, took = snapshots.kept_for(cohorts, now_utc())
    if took:
        db.session.commit()  # the snapshots taken by this look are kept
    codes = [code for code in catalogue.registry()
             if any(code in s.data["instruments"] for s in kept.values())]
    chosen = request.args.get("instrument")
    if chosen not in codes:
        chosen = codes[0] if codes else None
    minimum = _minimum()
    org = None
    comparison = []
    left_out = 0
    if chosen:
        org, left_out = report.pooled(kept, cohorts, minimum, chosen)
        for c in sorted(cohorts, key=lambda c: (c.start_date, c.id)):
            comparison.append({"cohort": c, "closed": c.id in kept,
                               "result": report.cohort_result(kept.get(c.id), minimum,
                                                              chosen)})
    return {"codes": codes, "chosen": chosen, "org": org, "left_out": left_out,
            "comparison": comparison, "minimum": minimum,
            "instrument": catalogue.registry().get(chosen) if chosen else None}


@bp.get("/organisation")
def organisation():
    page = _org_page()
    trend = None
    if page["chosen"]:
        # Names only on the axis (phones): the table beside it gives each start.
        trend = figures.trend([(r["cohort"].name, r["result"]) for r in page["comparison"]],
                              page["instrument"])
    summary = report.summary_sentence(page["org"]) if page["org"] else None
    return render_template("outcomes/organisation.html", **page, trend=trend,
                           summary=summary, printable=request.args.get("print") == "1",
                           caveat=report.SUBSCALE_CAVEAT,
                           org_chart=figures.before_after(page["org"]) if page["org"]
                           else None)


@bp.get("/organisation/outcomes.csv")
def organisation_csv():
    page = _org_page()
    return _csv(export.org_rows(page), "outcomes-organisation.csv")


def _csv(rows, filename: str) -> Response:
    return Response(export.to_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
