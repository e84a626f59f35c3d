import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from users import services
from users.models import ConsentEvent, LoginEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    client.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/user/",
        "/admin/users/user/?q=alice",
        "/admin/users/user/?is_staff__exact=1",
        "/admin/users/user/add/",
        "/admin/users/consentevent/",
        "/admin/users/loginevent/",
        "/admin/users/loginevent/?success__exact=0",
    ],
)
def test_pages_load_for_a_superuser(superuser_client, alice, url):
    assert superuser_client.get(url).status_code == 200


def test_user_change_page_shows_consents_and_recent_logins(superuser_client, alice, bob, rf):
    services.password_login(request=rf.post("/"), email=alice.email, password="x", method="jwt", ip="10.7.7.7")
    services.password_login(request=rf.post("/"), email=bob.email, password="x", method="jwt", ip="10.8.8.8")
    html = superuser_client.get(f"/admin/users/user/{alice.pk}/change/").content.decode()
    assert "Data processing" in html
    assert "10.7.7.7" in html and "FAILED" in html and "10.8.8.8" not in html
    listing = superuser_client.get(f"/admin/users/loginevent/?user__exact={alice.pk}")
    assert listing.status_code == 200
    assert "10.7.7.7" in listing.content.decode() and "10.8.8.8" not in listing.content.decode()


def test_adding_a_user_goes_through_sign_up(superuser_client):
    response = superuser_client.post(
        "/admin/users/user/add/",
        {
            "email": "Added@Example.com",
            "display_name": "",
            "timezone": "UTC",
            "currency": "USD",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="added@example.com")
    assert user.check_password(PASSWORD)
    assert ConsentEvent.objects.get(user=user).source == "admin"


def test_audit_rows_are_read_only(superuser_client, alice, rf):
    services.password_login(request=rf.post("/"), email=alice.email, password="x", method="jwt", ip=None)
    consent = ConsentEvent.objects.get(user=alice)
    login = LoginEvent.objects.get()
    assert superuser_client.get("/admin/users/consentevent/add/").status_code == 403
    assert superuser_client.get("/admin/users/loginevent/add/").status_code == 403
    assert superuser_client.post(f"/admin/users/consentevent/{consent.pk}/delete/").status_code == 403
    assert superuser_client.post(f"/admin/users/loginevent/{login.pk}/delete/").status_code == 403
    view = superuser_client.get(f"/admin/users/loginevent/{login.pk}/change/").content.decode()
    assert 'name="_save"' not in view


def test_staff_without_permissions_cannot_see_accounts(staff_client):
    assert staff_client.get("/admin/users/user/").status_code == 403


def test_others_are_sent_to_the_admin_login(alice_client, anon_client):
    assert alice_client.get("/admin/users/user/")["Location"].startswith("/admin/login/")
    assert anon_client.get("/admin/users/loginevent/")["Location"].startswith("/admin/login/")
