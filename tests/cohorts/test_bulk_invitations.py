"""A CSV import writes its invitations in bulk: each person's email must be exactly what
rendering the templates for them would give, with their own name, escaped in HTML, and
their own link."""
import datetime as dt
import re

import pytest
from email_validator import EmailNotValidError, validate_email
from flask import render_template

from wellbeing.cohorts.csvimport import normalise_email

from .helpers import invitations, link_in, preview_url, upload

CSV = """email,name
zoe@acme.example.com,"Zoë <Ops> & ""Co"" O'Neil"
li@acme.example.com,Li Wei {{ 7*7 }}
"""


@pytest.fixture
def cohort(make_cohort, org):
    return make_cohort(org=org, name="Autumn <team>", start=dt.date(2030, 3, 4))


def test_imported_invitations_equal_one_rendering_per_person(client, login, admin, cohort,
                                                             app):
    login(client, admin)
    assert client.post(preview_url(upload(client, cohort, CSV))).status_code == 302
    zoe, li = invitations()
    assert "Hello Zoë <Ops> & \"Co\" O'Neil," in zoe.body_text
    assert "Hello Zoë &lt;Ops&gt; &amp; &#34;Co&#34; O&#39;Neil," in zoe.body_html
    assert "<Ops>" not in zoe.body_html
    assert "has invited you to an 8-week self-compassion course" in zoe.body_text
    for body in (zoe.body_text, zoe.body_html):  # the same practice time as the course pages
        assert "About 30 minutes of practice a day is suggested" in body
        assert "few minutes" not in body
    # The name is text, never evaluated as a template. (Not `"49" not in body`: the random
    # sign-in token contains "49" in about one message in a hundred.)
    assert "Hello Li Wei {{ 7*7 }}," in li.body_text and "Li Wei 49" not in li.body_text
    assert link_in(zoe) != link_in(li)
    for message, name in ((zoe, "Zoë <Ops> & \"Co\" O'Neil"), (li, "Li Wei {{ 7*7 }}")):
        link = re.search(r"http\S+/signin/link/[\w-]+", message.body_text).group(0)
        assert f'href="{link}"' in message.body_html
        person = {"id": message.user_id, "name": name, "email": message.to_email,
                  "org": admin.org}
        context = {"user": type("Person", (), person), "link": link, "cohort": cohort,
                   "minutes": 7 * 24 * 60, "unsubscribe_url": None,
                   "base_url": app.config["BASE_URL"]}
        with app.test_request_context():
            assert message.body_text == render_template("emails/invitation.txt", **context)
            assert message.body_html == render_template("emails/invitation.html", **context)


ADDRESSES = [
    "ana@acme.example.com", "Ana.Silva@ACME.Example.COM", "o'neil+tag@acme.example.com",
    "a.b.c@sub.acme.example.com", "x@acme.co", "first_last-1@acme-group.example.org",
    "ana..silva@acme.example.com", ".ana@acme.example.com", "ana.@acme.example.com",
    "ana@localhost", "ana@acme", "ana@acme.test", "ana@acme..example.com",
    "ana@-acme.example.com", "ana@acme.example.com.", "ana@acme_example.com",
    "ana@123.123.123.123", "ana@[127.0.0.1]", "\"ana silva\"@acme.example.com",
    "zoë@acme.example.com", "ana@bücher.example.com", "ana@xn--bcher-kva.example.com",
    "a" * 64 + "@acme.example.com", "a" * 65 + "@acme.example.com",
    "ana@" + "a" * 63 + ".example.com", "ana@" + "a" * 64 + ".example.com",
    "ana@" + ".".join(["abcdefghi"] * 25) + ".com", "ana@@acme.example.com",
    "ana@acme.example.c0m", "ana@acme.invalid", "ana silva@acme.example.com",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_fast_address_check_agrees_with_email_validator(address):
    try:
        # No SMTPUTF8: a non-ASCII local part cannot be delivered by most relays.
        expected = validate_email(address, check_deliverability=False,
                                  allow_smtputf8=False).normalized.lower()
    except EmailNotValidError:
        expected = None
    try:
        ours = normalise_email(address)
    except EmailNotValidError:
        ours = None
    assert ours == expected
