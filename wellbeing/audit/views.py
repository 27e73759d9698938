"""The audit log: who changed what, for org admins. Summaries never hold personal
content; people are named by looking them up now, so a deleted account shows as such."""
from itertools import groupby

from flask import Blueprint, render_template, request
from sqlalchemy import and_, func, or_, select

from ..auth.models import ADMIN, User
from ..core.access import require_roles
from ..core.search import contains
from ..core.tenancy import current_org_id, org_select
from ..extensions import db
from .models import ABOUT_PEOPLE, AuditEvent
from .service import in_scope, target_names

bp = Blueprint("audit", __name__)
require_roles(bp, ADMIN)
PAGE = 100


@bp.get("/")
def index():
    area = request.args.get("area", "")
    action = request.args.get("action", "")
    person = request.args.get("person", "").strip()[:200]
    cohort = request.args.get("cohort", "").strip()[:200]
    query = org_select(AuditEvent)
    if area:
        query = query.where(AuditEvent.action.startswith(area + "."))
    if action in ACTION_LABELS:
        query = query.where(AuditEvent.action == action)
    if person:  # by them, about them, or about their place in a cohort
        people = select(User.id).where(User.org_id == current_org_id(),
                                       contains(User.name, person) | contains(User.email, person))
        query = query.where(or_(AuditEvent.actor_id.in_(people),
                                and_(AuditEvent.target_type == "User",
                                     AuditEvent.target_id.in_(people)),
                                in_scope("person", current_org_id(), person)))
    if cohort:
        query = query.where(in_scope("cohort", current_org_id(), cohort))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    events = list(db.session.scalars(
        query.order_by(*NEWEST_DAY_FIRST).limit(PAGE).offset((page - 1) * PAGE)))
    days = [(day, list(group)) for day, group in
            groupby(events, key=lambda event: event.created_at.date())]
    return render_template("audit/index.html", events=events, days=days, page=page,
                           pages=pages,
                           total=total, area=area, targets=_targets(events),
                           areas=_areas(), labels=ACTION_LABELS, action=action,
                           deleted=DELETED_WORDS,
                           person=person, cohort=cohort,
                           filtered=bool(area or action in ACTION_LABELS or person or cohort))


# Events about one person are stored at 00:00 UTC of their day (no time is kept), so
# newest first puts them after that day's timed events and before the day before's: the
# page shows each UTC day under its own heading, timed events newest first, then the day's
# events about people. Nothing on the page says where in the day those happened.
_ABOUT_PEOPLE = or_(*(AuditEvent.action.startswith(prefix) for prefix in ABOUT_PEOPLE))
NEWEST_DAY_FIRST = (AuditEvent.created_at.desc(), _ABOUT_PEOPLE.asc(), AuditEvent.id.desc())


# What each recorded action is called on the page (the code stays in a tooltip).
ACTION_LABELS = {f"{area}.{code}": label for area, labels in {
    "account": {"deleted": "Account deleted"},
    "announcement": {"sent": "Announcement sent"},
    "cohort": {
        "archived": "Cohort archived", "created": "Cohort created",
        "published": "Cohort published", "unarchived": "Cohort restored",
        "updated": "Cohort changed"},
    "course": {
        "module_added": "Own module added", "module_text_restored": "Module text restored",
        "module_text_saved": "Module text changed",
        "recording_removed": "Practice recording removed",
        "recording_uploaded": "Practice recording uploaded"},
    "enrollment": {
        "created": "Person enrolled", "imported": "People imported", "joined": "Person joined",
        "invitation_resent": "Invitation sent again",
        "invitations_resent": "Invitations sent again to people not joined",
        "moved": "Person moved", "reinstated": "Person enrolled again",
        "withdrawn": "Person withdrawn"},
    "message": {"resent": "Email sent again"},
    "org": {"settings_changed": "Settings changed"},
    "staff": {
        "deactivated": "Staff member deactivated", "invited": "Staff member invited",
        "invitation_resent": "Staff invitation sent again",
        "reactivated": "Staff member reactivated", "role_changed": "Staff role changed"},
    "survey_plan": {"update": "Surveys changed"},
}.items() for code, label in labels.items()}


# What an event's object is called once it is gone (never its database id).
DELETED_WORDS = {"Cohort": "A cohort that was later deleted",
                 "Enrollment": "An enrollment that was later deleted",
                 "User": "An account that was later deleted"}


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
