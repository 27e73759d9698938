"""The `local` template filter: a moment with a time of day names its zone's city; a
date on its own does not ("Joined 09 Nov", not "Joined 09 Nov London")."""
import datetime as dt

import pytest
from flask import render_template_string

MOMENT = dt.datetime(2026, 11, 9, 14, 30, tzinfo=dt.UTC)


def _local(app, fmt=None, zone="Europe/London"):
    with app.test_request_context():
        if fmt is None:
            return render_template_string("{{ m|local(z) }}", m=MOMENT, z=zone)
        return render_template_string("{{ m|local(z, f) }}", m=MOMENT, z=zone, f=fmt)


def test_default_format_has_time_and_city(app):
    assert _local(app) == "Mon 09 Nov 2026, 14:30 London"
    assert _local(app, zone="America/New_York") == "Mon 09 Nov 2026, 09:30 New York"


@pytest.mark.parametrize("fmt, expected", [
    ("%d %b", "09 Nov"),
    ("%d %b %Y", "09 Nov 2026"),
    ("%d %B %Y", "09 November 2026"),
    ("%A", "Monday"),
])
def test_date_only_formats_have_no_city(app, fmt, expected):
    assert _local(app, fmt) == expected


@pytest.mark.parametrize("fmt, expected", [
    ("%H:%M", "14:30 London"),
    ("%I %p", "02 PM London"),
    ("%d %b, %M past", "09 Nov, 30 past London"),
])
def test_formats_with_a_time_of_day_have_the_city(app, fmt, expected):
    assert _local(app, fmt) == expected


def test_roster_joined_date_has_no_city(client, login, facilitator, make_user, make_cohort,
                                        enroll, org):
    cohort = make_cohort(org=org, facilitators=[facilitator])
    enroll(make_user(org=org, name="Ada Busy"), cohort)
    login(client, facilitator)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    ada = page.split("Ada Busy")[1].split("</tr>")[0]
    joined = ada.split("Joined")[1].split("</span>")[0]
    assert "London" not in joined and "UTC" not in joined
