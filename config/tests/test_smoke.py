def test_landing_page_for_newcomer(anon_client, db):
    response = anon_client.get("/")
    assert response.status_code == 200
    assert b"Know before you overspend" in response.content


def test_signed_in_user_goes_to_dashboard(alice_client):
    response = alice_client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
