import pytest
from django.core import mail
from freezegun import freeze_time

from conftest import PASSWORD
from users import services
from users.models import ConsentEvent, LoginEvent, User

pytestmark = pytest.mark.django_db

SIGNUP_FORM = {
    "email": "new@example.com",
    "password": PASSWORD,
    "display_name": "New",
    "timezone": "Europe/Rome",
    "currency": "EUR",
}


class TestSignup:
    def test_page_has_labelled_fields(self, anon_client):
        html = anon_client.get("/signup/").content.decode()
        for field in ("email", "password", "display_name", "timezone", "currency"):
            assert f'<label for="id_{field}"' in html

    def test_creates_logs_in_and_redirects(self, anon_client):
        response = anon_client.post("/signup/", SIGNUP_FORM)
        assert response.status_code == 302 and response["Location"] == "/dashboard/"
        user = User.objects.get(email="new@example.com")
        assert user.timezone == "Europe/Rome"
        assert ConsentEvent.objects.get(user=user).source == "web"
        assert LoginEvent.objects.get(user=user).method == "session"
        assert anon_client.get("/settings/").status_code == 200

    def test_weak_password_shows_linked_error(self, anon_client):
        response = anon_client.post("/signup/", {**SIGNUP_FORM, "password": "12345"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_password_errors"' in html
        assert 'aria-describedby="id_password_helptext id_password_errors"' in html
        assert 'aria-invalid="true"' in html
        assert not User.objects.filter(email="new@example.com").exists()

    def test_used_email(self, anon_client, alice):
        response = anon_client.post("/signup/", {**SIGNUP_FORM, "email": "alice@example.com"})
        assert 'id="id_email_errors"' in response.content.decode()

    def test_bad_timezone_choice(self, anon_client):
        response = anon_client.post("/signup/", {**SIGNUP_FORM, "timezone": "Mars/Base"})
        assert 'id="id_timezone_errors"' in response.content.decode()


class TestPasswordLogin:
    def test_login_redirects_and_is_audited(self, anon_client, alice):
        response = anon_client.post("/login/", {"email": "Alice@example.com", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/dashboard/"
        event = LoginEvent.objects.get()
        assert (event.user, event.method, event.success) == (alice, "password", True)

    def test_follows_safe_next_only(self, anon_client, alice):
        good = anon_client.post("/login/?next=/settings/", {"email": "alice@example.com", "password": PASSWORD})
        assert good["Location"] == "/settings/"
        anon_client.post("/logout/")
        evil = anon_client.post(
            "/login/", {"email": "alice@example.com", "password": PASSWORD, "next": "https://evil.example/"}
        )
        assert evil["Location"] == "/dashboard/"

    def test_wrong_password_shows_error_and_is_audited(self, anon_client, alice):
        response = anon_client.post("/login/", {"email": "alice@example.com", "password": "nope"})
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()
        assert LoginEvent.objects.get().success is False

    def test_page_has_code_login_link(self, anon_client):
        assert 'href="/login/code/"' in anon_client.get("/login/").content.decode()

    def test_page_login_is_throttled(self, anon_client, alice, settings):
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
        for _ in range(allowed):
            anon_client.post("/login/", {"email": "alice@example.com", "password": "wrong"})
        response = anon_client.post("/login/", {"email": "alice@example.com", "password": PASSWORD})
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "Too many attempts" in response.content.decode()
        assert LoginEvent.objects.count() == allowed


class TestCodeLogin:
    def test_request_then_enter_code(self, anon_client, alice, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = anon_client.post("/login/code/", {"email": "alice@example.com"})
        assert response["Location"] == "/login/code/verify/"
        page = anon_client.get("/login/code/verify/").content.decode()
        assert "alice@example.com" in page and 'autocomplete="one-time-code"' in page
        code = mail.outbox[-1].subject.rsplit(" ", 1)[-1]
        response = anon_client.post("/login/code/verify/", {"email": "alice@example.com", "code": code})
        assert response["Location"] == "/dashboard/"
        assert anon_client.get("/settings/").status_code == 200
        assert LoginEvent.objects.get().method == "otp"

    def test_unknown_email_looks_the_same(self, anon_client, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = anon_client.post("/login/code/", {"email": "nobody@example.com"}, follow=True)
        assert "If an account exists" in response.content.decode()
        assert mail.outbox == []

    def test_wrong_code_shows_error(self, anon_client, alice, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            anon_client.post("/login/code/", {"email": "alice@example.com"})
        response = anon_client.post("/login/code/verify/", {"email": "alice@example.com", "code": "abcdef"})
        assert response.status_code == 200
        assert "wrong, used or expired" in response.content.decode()
        assert anon_client.get("/settings/").status_code == 302

    def test_verify_without_a_request_goes_back(self, anon_client):
        assert anon_client.get("/login/code/verify/")["Location"] == "/login/code/"


class TestLogout:
    def test_post_logs_out(self, alice_client):
        response = alice_client.post("/logout/")
        assert response.status_code == 302 and response["Location"] == "/"
        assert alice_client.get("/settings/").status_code == 302

    def test_get_is_refused(self, alice_client):
        assert alice_client.get("/logout/").status_code == 405


class TestSettings:
    def test_anonymous_goes_to_login(self, anon_client):
        response = anon_client.get("/settings/")
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=/settings/")

    def test_shows_profile_and_recent_logins_in_the_users_timezone(self, alice_client, alice, rf):
        with freeze_time("2026-01-15 12:30:00"):
            services.password_login(
                request=rf.post("/"), email=alice.email, password="nope", method="jwt", ip="10.2.3.4"
            )
        html = alice_client.get("/settings/").content.decode()
        assert 'value="Alice"' in html
        assert "15 Jan 2026, 13:30 CET" in html  # Europe/Berlin in winter
        assert "10.2.3.4" in html and "Failed" in html
        assert 'href="/settings/consent/"' in html

    def test_other_users_logins_are_not_shown(self, bob_client, alice, rf):
        services.password_login(request=rf.post("/"), email=alice.email, password="x", method="jwt", ip="10.9.8.7")
        assert "10.9.8.7" not in bob_client.get("/settings/").content.decode()

    def test_save(self, alice_client, alice):
        response = alice_client.post(
            "/settings/", {"display_name": "Al", "timezone": "Asia/Tokyo", "currency": "JPY"}, follow=True
        )
        assert "Your settings are saved." in response.content.decode()
        alice.refresh_from_db()
        assert (alice.display_name, alice.timezone, alice.currency) == ("Al", "Asia/Tokyo", "JPY")

    def test_bad_values_are_field_errors(self, alice_client):
        response = alice_client.post("/settings/", {"display_name": "Al", "timezone": "Berlin", "currency": "EURO"})
        html = response.content.decode()
        assert 'id="id_timezone_errors"' in html and 'id="id_currency_errors"' in html

    def test_staff_sees_their_own(self, staff_client):
        assert "charlie@example.com" in staff_client.get("/settings/").content.decode()


class TestConsentPage:
    def test_lists_scopes_with_descriptions(self, alice_client):
        html = alice_client.get("/settings/consent/").content.decode()
        for label in ("Data processing", "Peer benchmarking", "Recommendations", "External sync"):
            assert label in html
        assert "reviews every suggestion" in html

    def test_toggle_records_a_web_event_and_shows_history(self, alice_client, alice):
        response = alice_client.post("/settings/consent/", {"scope": "benchmarking", "granted": "on"}, follow=True)
        assert "Peer benchmarking is turned on." in response.content.decode()
        alice_client.post("/settings/consent/", {"scope": "benchmarking", "granted": ""})
        events = ConsentEvent.objects.filter(user=alice, scope="benchmarking").order_by("id")
        assert [(e.granted, e.source) for e in events] == [(True, "web"), (False, "web")]
        html = alice_client.get("/settings/consent/").content.decode()
        assert html.count("Turned on") == 2 and html.count("Turned off") == 1

    def test_unknown_scope_is_400(self, alice_client):
        assert alice_client.post("/settings/consent/", {"scope": "x", "granted": "on"}).status_code == 400

    def test_bob_does_not_see_alices_history(self, alice, bob_client):
        services.consent_set(user=alice, scope="external_sync", granted=True, source="api")
        assert "External sync" not in bob_client.get("/settings/consent/").content.decode().split("History")[-1]

    def test_anonymous_goes_to_login(self, anon_client):
        assert anon_client.get("/settings/consent/")["Location"].startswith("/login/")
        assert anon_client.post("/settings/consent/", {"scope": "benchmarking", "granted": "on"}).status_code == 302
