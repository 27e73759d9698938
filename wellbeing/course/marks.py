"""A participant's own practice library: what they have opened, what they keep as a
favourite. Private to them; nothing here is counted or shown to staff."""
import datetime as dt

from sqlalchemy import select, update

from ..core.insert_once import insert_once
from ..extensions import db
from .content import Practice
from .models import PracticeMark


def record_opened(enrollment, slug: str, today: dt.date) -> None:
    insert_once(PracticeMark, org_id=enrollment.org_id, enrollment_id=enrollment.id,
                slug=slug, first_opened_on=today, favourite=False)
    db.session.commit()


def marks(enrollment) -> dict[str, PracticeMark]:
    return {m.slug: m for m in db.session.scalars(
        select(PracticeMark).filter_by(enrollment_id=enrollment.id))}


def set_favourites(enrollment, slugs: set[str], among: set[str], today: dt.date) -> None:
    """Favourites among `among` become exactly `slugs` (one practice's button, or week 8's
    list of choices); a favourite counts as opened."""
    for slug in slugs:
        insert_once(PracticeMark, org_id=enrollment.org_id, enrollment_id=enrollment.id,
                    slug=slug, first_opened_on=today, favourite=True)
    for favourite, chosen in ((True, slugs), (False, among - slugs)):
        if chosen:
            db.session.execute(update(PracticeMark).where(
                PracticeMark.enrollment_id == enrollment.id,
                PracticeMark.slug.in_(chosen)).values(favourite=favourite))
    db.session.commit()


def library(enrollment, available: list[Practice]) -> tuple[list, list]:
    """(opened, not yet opened): the opened ones favourites first, then in course order."""
    mine = marks(enrollment)
    opened = [(p, mine[p.slug]) for p in available if p.slug in mine]
    opened.sort(key=lambda pair: not pair[1].favourite)  # stable: course order kept
    return opened, [p for p in available if p.slug not in mine]
