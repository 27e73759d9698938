"""Support text: numbers to call, sites and addresses become links, the rest stays text."""
import pytest

from wellbeing.orgs.models import DEFAULT_CRISIS_RESOURCES
from wellbeing.web.contact_links import contact_links


@pytest.mark.parametrize("text, link", [
    ("call Samaritans on 116 123;", '<a href="tel:116123">116 123</a>;'),
    ("call or text 988.", '<a href="tel:988">988</a>.'),
    ("dial +44 800 123 4567 now", '<a href="tel:+448001234567">+44 800 123 4567</a> now'),
    ("EAP 0800-068-4141", '<a href="tel:08000684141">0800-068-4141</a>'),
    ("see https://eap.example.com/help.", '<a href="https://eap.example.com/help">'
                                         'https://eap.example.com/help</a>.'),
    ("write to care@acme.example.com", '<a href="mailto:care@acme.example.com">'
                                       'care@acme.example.com</a>'),
])
def test_numbers_sites_and_addresses_become_links(text, link):
    assert link in contact_links(text)


@pytest.mark.parametrize("text", [
    "Open 24/7, 9:00 to 17:30, since 2026.", "1 in 4 people", "version 3.14.159", "Mon to Fri 9-17",
])
def test_times_years_and_other_figures_stay_text(text):
    assert "<a " not in contact_links(text)


def test_admin_text_is_escaped_and_keeps_its_line_breaks():
    html = contact_links('<script>alert(1)</script>\nCall "Help" on 999')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith('<br>Call &#34;Help&#34; on <a href="tel:999">999</a>')


def test_every_page_footer_offers_the_numbers_as_links(client):
    assert "116 123" in DEFAULT_CRISIS_RESOURCES
    page = client.get("/signin").get_data(as_text=True)
    assert '<a href="tel:116123">116 123</a>' in page and '<a href="tel:988">988</a>' in page


def test_an_orgs_own_support_text_is_linked_for_its_people(client, login, admin, org):
    from wellbeing.extensions import db
    org.crisis_resources = "EAP (24/7): 0800 123 456\nhttps://eap.example.com"
    db.session.commit()
    login(client, admin)
    page = client.get("/org/settings").get_data(as_text=True)
    assert ('<a href="tel:0800123456">0800 123 456</a><br>'
            '<a href="https://eap.example.com">https://eap.example.com</a>') in page

