"""The audit log: who changed what, for org admins. Summaries never hold personal
content; people are named by looking them up now, so a deleted account shows as such."""
from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from ..auth.models import ADMIN
from ..core.access import require_roles
from ..core.tenancy import current_org_id, org_select
from ..extensions import db
from .models import AuditEvent
from .service import target_names

bp = Blueprint("audit", __name__)
require_roles(bp, ADMIN)
PAGE = 100


@bp.get("/")
def index():
    area = request.args.get("area", "")
    query = org_select(AuditEvent)
    if area:
        query = query.where(AuditEvent.action.startswith(area + "."))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    events = list(db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE).offset((page - 1) * PAGE)))
    return render_template("audit/index.html", events=events, page=page, pages=pages,
                           total=total, area=area, targets=_targets(events),
                           areas=_areas(), labels=ACTION_LABELS)


# What each recorded action is called on the page (the code stays in a tooltip).
ACTION_LABELS = {
    "account.deleted": "Account deleted", "announcement.sent": "Announcement sent",
    "cohort.archived": "Cohort archived",
    "cohort.created": "Cohort created", "cohort.published": "Cohort published",
    "cohort.unarchived": "Cohort restored", "cohort.updated": "Cohort changed",
    "course.module_text_restored": "Module text restored",
    "course.module_text_saved": "Module text changed",
    "enrollment.created": "Person enrolled", "enrollment.imported": "People imported",
    "enrollment.joined": "Person joined", "enrollment.moved": "Person moved",
    "enrollment.reinstated": "Person enrolled again",
    "enrollment.withdrawn": "Person withdrawn", "message.resent": "Email sent again",
    "org.settings_changed": "Settings changed",
    "survey_plan.update": "Surveys changed",
}


def _areas() -> list[str]:
    actions = db.session.scalars(org_select(AuditEvent).with_only_columns(
        AuditEvent.action).distinct())
    return sorted({action.split(".")[0] for action in actions})


def _targets(events) -> dict[tuple[str, int], str]:
    """Readable names for the objects the events point at, as they are now."""
    ids: dict[str, set[int]] = {}
    for event in events:
        if event.target_type and event.target_id:
            ids.setdefault(event.target_type, set()).add(event.target_id)
    names = {}
    if current_org_id() in ids.get("Organization", set()):
        names[("Organization", current_org_id())] = "Organisation settings"
    for target_type, wanted in ids.items():
        names.update({(target_type, i): name
                      for i, name in target_names(target_type, current_org_id(), wanted).items()})
    return names
