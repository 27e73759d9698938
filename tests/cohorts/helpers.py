"""Small helpers shared by the cohort tests."""
import io
import re

from sqlalchemy import func, select

from wellbeing.cohorts.models import Enrollment
from wellbeing.extensions import db
from wellbeing.notifications.models import OutboxMessage


def upload(client, cohort, text, name="people.csv", encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return client.post(f"/cohorts/{cohort.id}/imports",
                       data={"csv-file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def preview_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def messages(kind, **to):
    """Outbox rows of one kind (optionally filtered, e.g. to_email=...), oldest first."""
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind, **to)
                                   .order_by(OutboxMessage.id)))


def invitations():
    return messages("invitation")


def enrollments(cohort):
    return list(db.session.scalars(select(Enrollment).filter_by(cohort_id=cohort.id)
                                   .order_by(Enrollment.id)))


def link_in(message) -> str:
    return re.search(r"/signin/link/[\w-]+", message.body_text).group(0)
