"""Open redirect: the `next` a sign-in form carries never sends anyone off the site.

Where a browser goes is judged the way a browser reads a Location header (the WHATWG URL
rules: a backslash is a slash, tabs and line breaks inside are dropped, leading spaces
and control characters are trimmed), not the way Python's urljoin does, which is how
`/\\evil.example` once passed as a path of our own."""
from urllib.parse import urljoin, urlsplit

import pytest

from wellbeing.auth.models import ADMIN

SITE = "http://localhost/"
PASSWORD = "correct horse battery"

HOSTILE = [
    "http://evil.example/",
    "https://evil.example/home",
    "//evil.example",
    "//evil.example/%2F..",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "\x01//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "http:/evil.example",
    "evil.example",
    "https://localhost@evil.example/",
]


def browser_destination(location: str) -> str:
    """The host a browser would open for this Location, answered on our site."""
    cleaned = location.lstrip("".join(map(chr, range(0x21))))
    cleaned = cleaned.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    target = urlsplit(urljoin(SITE, cleaned))
    if target.scheme not in ("http", "https"):
        return target.scheme + ":"
    return target.hostname or ""


def test_the_checker_reads_locations_as_a_browser_does():
    assert browser_destination("/cohorts/") == "localhost"
    assert browser_destination("/\\evil.example") == "evil.example"
    assert browser_destination("/\t/evil.example") == "evil.example"
    assert browser_destination("javascript:alert(1)") == "javascript:"


@pytest.fixture
def staff(make_user, org):
    return make_user(ADMIN, org=org, email="hr@acme.example.com", password=PASSWORD)


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_after_a_password_lands_on_our_own_start_page(client, staff, target):
    page = client.get("/signin", query_string={"next": target})
    assert page.status_code == 200
    response = client.post("/signin", data={"email": staff.email, "password": PASSWORD,
                                            "next": target})
    assert response.status_code == 302
    assert browser_destination(response.location) == "localhost", response.location
    assert response.location == "/home"


@pytest.mark.parametrize("target", ["/cohorts/", "/cohorts/?archived=1",
                                    "/course/weeks/2#practice"])
def test_a_path_of_our_own_is_still_followed(client, staff, target):
    response = client.post("/signin", data={"email": staff.email, "password": PASSWORD,
                                            "next": target})
    assert response.location == target


def test_a_signed_out_visitor_is_sent_back_to_the_page_they_asked_for(client, staff):
    bounced = client.get("/cohorts/?archived=1")
    assert bounced.status_code == 302
    signin = client.get(bounced.location)
    assert 'value="/cohorts/?archived=1"' in signin.get_data(as_text=True)
    response = client.post("/signin", data={"email": staff.email, "password": PASSWORD,
                                            "next": "/cohorts/?archived=1"})
    assert response.location == "/cohorts/?archived=1"


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example"])
def test_a_hostile_next_through_the_choice_of_organisation_stays_home(
        client, make_org, make_user, target):
    for name in ("First Ltd", "Second plc"):
        make_user(ADMIN, org=make_org(name=name), email="twice@example.com",
                  password=PASSWORD)
    asked = client.post("/signin", data={"email": "twice@example.com", "password": PASSWORD,
                                         "next": target})
    assert asked.location == "/signin/choose"
    page = client.get("/signin/choose").get_data(as_text=True)
    import re
    account = re.search(r'name="account"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="account"', page)
    response = client.post("/signin/choose", data={"account": account.group(1)})
    assert response.status_code == 302
    assert browser_destination(response.location) == "localhost", response.location
