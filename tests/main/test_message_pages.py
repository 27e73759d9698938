"""One-message pages (not found, not open yet, a used link) say where to go next beside
the message instead of one small card in an empty desktop window."""
from tests.surveys.helpers import visible_text


def test_a_missing_page_offers_where_to_go_next(client, login, admin):
    login(client, admin)
    response = client.get("/cohorts/987654")
    page = visible_text(response.get_data(as_text=True))
    assert response.status_code == 404
    assert "Page not found" in page and "Where to go from here" in page
    assert 'class="message-page"' in response.get_data(as_text=True)


def test_a_used_link_page_keeps_the_new_link_form_and_the_way_back(client):
    response = client.get("/signin/link/not-a-real-token")
    page = visible_text(response.get_data(as_text=True))
    assert response.status_code == 410
    assert "This link does not work" in page and "Where to go from here" in page
    assert "with a password or an emailed link" in page
