"""The org admin's pages: the organisation's settings and its staff."""
from flask import Blueprint

from ..audit.service import name_targets
from ..auth.models import ADMIN
from ..core.access import require_roles
from . import people

# The modules whose views add their routes to `bp` (the web shell loads them).
VIEWS = ("views", "people_views")
name_targets("User", people.staff_names)

bp = Blueprint("orgs", __name__)
require_roles(bp, ADMIN)
