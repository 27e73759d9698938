"""The org admin's pages: the organisation's settings and its staff."""
from flask import Blueprint

from ..auth.models import ADMIN
from ..core.access import require_roles

# The modules whose views add their routes to `bp` (the web shell loads them).
VIEWS = ("views", "people_views")
bp = Blueprint("orgs", __name__)
require_roles(bp, ADMIN)
