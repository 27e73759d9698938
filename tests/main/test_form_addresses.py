"""A form shown again with its errors sits at the address it was posted to. Opening that
address again (a reload, a bookmark, the address bar) leads back to the form's own page
instead of a 'not available here' page."""
from wellbeing.auth.models import ADMIN, PARTICIPANT


def test_the_sign_in_link_form_address_leads_back_to_sign_in(client):
    response = client.get("/signin/link")
    assert response.status_code == 302 and response.headers["Location"].endswith("/signin")


def test_the_csv_upload_address_leads_back_to_the_cohorts_enroll_page(
        client, login, make_user, make_cohort, org):
    cohort = make_cohort(org=org)
    login(client, make_user(ADMIN, org=org))
    response = client.get(f"/cohorts/{cohort.id}/imports")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cohorts/{cohort.id}/enroll")


def test_the_account_deletion_address_leads_back_to_my_data(client, login, make_user, org):
    login(client, make_user(PARTICIPANT, org=org))
    response = client.get("/account/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/")


def test_other_post_only_addresses_still_say_not_available(client, login, make_user, org):
    login(client, make_user(PARTICIPANT, org=org))
    response = client.get("/course/my-practices/carry-forward")
    assert response.status_code == 405
    assert "not available here" in response.get_data(as_text=True)
