"""The audit log's order can be trusted: newest day first under a heading per day; within
a day the timed changes newest first, then the day's events about people, whose time of
day is not kept and not hinted at by where they stand."""
import datetime as dt

import time_machine

from tests.surveys.helpers import table_rows
from wellbeing.audit.service import record
from wellbeing.extensions import db


def at(day, hour, minute=0):
    return time_machine.travel(dt.datetime(2026, 12, day, hour, minute, tzinfo=dt.UTC),
                               tick=False)


def test_days_newest_first_and_people_events_after_the_days_timed_changes(
        client, login, admin, org, make_cohort):
    cohort = make_cohort(org=org, name="Spring")
    for day, hour, minute, action, summary in [
            (2, 17, 10, "cohort.updated", "Renamed at 17:10"),
            (2, 17, 13, "enrollment.imported", "Imported 3 people"),
            (2, 17, 20, "cohort.updated", "Capacity at 17:20"),
            (3, 0, 0, "cohort.updated", "Dates at midnight"),
            (3, 9, 0, "enrollment.joined", "Joined the course"),
            (3, 10, 0, "cohort.updated", "Renamed at 10:00")]:
        with at(day, hour, minute):
            record(org.id, admin.id, action, cohort, summary)
            db.session.commit()
    login(client, admin)
    html = client.get("/audit/").get_data(as_text=True)
    rows = [row[0] if len(row) == 1 else f"{row[0]} | {row[3]}"
            for row in table_rows(html)[1:]]
    assert rows == [
        "Thursday 03 December 2026",
        "03 Dec 2026, 10:00 London | Renamed at 10:00",
        "03 Dec 2026, 00:00 London | Dates at midnight",
        "03 Dec 2026, time not kept | Joined the course",
        "Wednesday 02 December 2026",
        "02 Dec 2026, 17:20 London | Capacity at 17:20",
        "02 Dec 2026, 17:10 London | Renamed at 17:10",
        "02 Dec 2026, time not kept | Imported 3 people"]
    assert "newest day first. Within a day, changes with a time come first" in html
