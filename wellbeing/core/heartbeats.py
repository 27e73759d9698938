"""When the scheduler (beat) and the reminder planner last ran, for /metrics and /healthz.

Each writes its row as it works; a row that stops moving means that process stopped,
which an operator would otherwise learn only from missing mail."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .timeutil import UTCDateTime, now_utc

BEAT, PLANNER = "beat", "planner"


class Heartbeat(db.Model):
    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    beat_at = mapped_column(UTCDateTime, nullable=False)


def record(name: str, at: dt.datetime | None = None) -> None:
    """Say that `name` ran now (one row each, overwritten), and commit."""
    at = at or now_utc()
    dialect = db.session.get_bind().dialect.name
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(Heartbeat)
    statement = statement.values(name=name, beat_at=at)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["name"], set_={"beat_at": statement.excluded.beat_at}))
    db.session.commit()


def last_runs() -> dict[str, dt.datetime]:
    return dict(db.session.execute(sa.select(Heartbeat.name, Heartbeat.beat_at)).all())
