import pytest
from django.core import mail
from freezegun import freeze_time
from rest_framework.test import APIClient

from conftest import PASSWORD, api_client_for
from users.models import ConsentEvent, LoginCode, LoginEvent, User

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
OTP_REQUEST = "/api/v1/auth/otp/request/"
OTP_VERIFY = "/api/v1/auth/otp/verify/"
ME = "/api/v1/me/"
CONSENTS = "/api/v1/consents/"
HISTORY = "/api/v1/consents/history/"


class TestRegister:
    def test_created(self, anon_api):
        response = anon_api.post(
            REGISTER, {"email": "New@Example.com", "password": PASSWORD, "timezone": "Asia/Jakarta", "currency": "IDR"}
        )
        assert response.status_code == 201
        body = response.json()
        assert body["email"] == "new@example.com"
        assert (body["timezone"], body["currency"]) == ("Asia/Jakarta", "IDR")
        assert "password" not in body
        assert User.objects.get(pk=body["id"]).password.startswith("argon2")

    def test_defaults(self, anon_api):
        body = anon_api.post(REGISTER, {"email": "d@example.com", "password": PASSWORD}).json()
        assert (body["timezone"], body["currency"]) == ("UTC", "USD")

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"password": "abc"}, "password"),
            ({"password": "qwertyuiop"}, "password"),
            ({"timezone": "Nowhere/City"}, "timezone"),
            ({"currency": "DOLLARS"}, "currency"),
            ({"email": "nope"}, "email"),
            ({"email": ""}, "email"),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, anon_api, changes, field):
        response = anon_api.post(REGISTER, {"email": "x@example.com", "password": PASSWORD, **changes})
        assert response.status_code == 400
        assert field in response.json()

    def test_used_email(self, anon_api, alice):
        response = anon_api.post(REGISTER, {"email": "ALICE@example.com", "password": PASSWORD})
        assert response.status_code == 400
        assert "email" in response.json()

    def test_missing_fields(self, anon_api):
        response = anon_api.post(REGISTER, {})
        assert response.status_code == 400
        assert {"email", "password"} <= set(response.json())


class TestTokens:
    def test_token_pair_works_for_me(self, anon_api, alice):
        response = anon_api.post(TOKEN, {"email": "alice@example.com", "password": PASSWORD})
        assert response.status_code == 200
        tokens = response.json()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        assert client.get(ME).json()["email"] == "alice@example.com"
        event = LoginEvent.objects.get()
        assert (event.user, event.method, event.success, event.ip) == (alice, "jwt", True, "127.0.0.1")

    def test_wrong_password_is_401_and_audited(self, anon_api, alice):
        response = anon_api.post(TOKEN, {"email": "alice@example.com", "password": "wrong-password"})
        assert response.status_code == 401
        assert "detail" in response.json()
        event = LoginEvent.objects.get()
        assert (event.user, event.method, event.success) == (alice, "jwt", False)

    def test_unknown_email_is_401(self, anon_api, db):
        assert anon_api.post(TOKEN, {"email": "ghost@example.com", "password": PASSWORD}).status_code == 401
        assert LoginEvent.objects.get().user is None

    def test_missing_fields_is_400(self, anon_api, db):
        assert set(anon_api.post(TOKEN, {}).json()) == {"email", "password"}

    def test_refresh(self, anon_api, alice):
        refresh = anon_api.post(TOKEN, {"email": "alice@example.com", "password": PASSWORD}).json()["refresh"]
        response = anon_api.post(REFRESH, {"refresh": refresh})
        assert response.status_code == 200
        assert "access" in response.json()
        assert anon_api.post(REFRESH, {"refresh": "garbage"}).status_code == 401

    def test_forty_wrong_passwords_are_throttled(self, anon_api, alice, settings):
        settings.AXES_FAILURE_LIMIT = 1000  # the request throttle alone; lockouts: test_lockouts.py
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
        codes = [anon_api.post(TOKEN, {"email": "alice@example.com", "password": f"guess-{n}"}) for n in range(40)]
        assert [r.status_code for r in codes[:allowed]] == [401] * allowed
        assert {r.status_code for r in codes[allowed:]} == {429}
        assert int(codes[-1]["Retry-After"]) > 0
        # Even the right password waits: the limit is on attempts, not on failures.
        assert anon_api.post(TOKEN, {"email": "alice@example.com", "password": PASSWORD}).status_code == 429

    def test_throttle_is_per_address(self, alice, settings):
        settings.AXES_FAILURE_LIMIT = 1000  # the request throttle alone; lockouts: test_lockouts.py
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
        for _ in range(allowed + 1):
            APIClient(REMOTE_ADDR="10.0.0.1").post(TOKEN, {"email": "alice@example.com", "password": "x"})
        other = APIClient(REMOTE_ADDR="10.0.0.2").post(TOKEN, {"email": "alice@example.com", "password": PASSWORD})
        assert other.status_code == 200

    def test_register_is_throttled_too(self, anon_api, db, settings):
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
        codes = [
            anon_api.post(REGISTER, {"email": f"u{n}@example.com", "password": "x"}).status_code
            for n in range(allowed + 1)
        ]
        assert codes[-1] == 429


class TestOtp:
    def request_code(self, client, capture, email="alice@example.com") -> str:
        with capture(execute=True):
            response = client.post(OTP_REQUEST, {"email": email})
        assert response.status_code == 202
        return mail.outbox[-1].subject.rsplit(" ", 1)[-1]

    def test_happy_path(self, anon_api, alice, django_capture_on_commit_callbacks):
        code = self.request_code(anon_api, django_capture_on_commit_callbacks)
        assert LoginCode.objects.get(user=alice).code_hash != code
        response = anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": code})
        assert response.status_code == 200
        assert set(response.json()) == {"access", "refresh"}
        assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": code}).status_code == 400
        assert list(LoginEvent.objects.order_by("id").values_list("method", "success")) == [
            ("otp", True),
            ("otp", False),
        ]

    def test_unknown_email_is_still_202_and_sends_nothing(self, anon_api, db, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = anon_api.post(OTP_REQUEST, {"email": "nobody@example.com"})
        assert response.status_code == 202
        assert mail.outbox == []

    def test_bad_email_shape_is_400(self, anon_api, db):
        assert "email" in anon_api.post(OTP_REQUEST, {"email": "nope"}).json()

    def test_wrong_code_is_400_naming_code(self, anon_api, alice, django_capture_on_commit_callbacks):
        self.request_code(anon_api, django_capture_on_commit_callbacks)
        response = anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": "abc"})
        assert response.status_code == 400
        assert "code" in response.json()

    def test_expired(self, anon_api, alice, django_capture_on_commit_callbacks):
        with freeze_time("2026-05-01 08:00:00") as frozen:
            code = self.request_code(anon_api, django_capture_on_commit_callbacks)
            frozen.tick(11 * 60)
            assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": code}).status_code == 400

    def test_five_tries_then_refused(self, anon_api, alice, django_capture_on_commit_callbacks):
        code = self.request_code(anon_api, django_capture_on_commit_callbacks)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": wrong}).status_code == 400
        assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": code}).status_code == 400

    def test_old_code_is_invalid_after_a_new_request(self, anon_api, alice, django_capture_on_commit_callbacks):
        first = self.request_code(anon_api, django_capture_on_commit_callbacks)
        second = self.request_code(anon_api, django_capture_on_commit_callbacks)
        if first != second:
            assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": first}).status_code == 400
        assert anon_api.post(OTP_VERIFY, {"email": "alice@example.com", "code": second}).status_code == 200

    def test_verify_is_limited_per_email_across_addresses(self, alice, settings):
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
        answers = [
            APIClient(REMOTE_ADDR=f"10.1.0.{n}").post(OTP_VERIFY, {"email": "alice@example.com", "code": "123456"})
            for n in range(allowed + 1)
        ]
        assert answers[-1].status_code == 429
        assert "Retry-After" in answers[-1]


class TestMe:
    def test_get(self, alice_api, alice):
        body = alice_api.get(ME).json()
        assert body == {
            "id": alice.pk,
            "email": "alice@example.com",
            "display_name": "Alice",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "date_joined": body["date_joined"],
            "default_account": alice.accounts.get(name="Main account", is_default=True).pk,
        }

    def test_each_user_sees_themselves(self, bob_api, staff_api):
        assert bob_api.get(ME).json()["email"] == "bob@example.com"
        assert staff_api.get(ME).json()["email"] == "charlie@example.com"

    def test_anonymous_is_401(self, anon_api):
        assert anon_api.get(ME).status_code == 401
        assert anon_api.patch(ME, {"currency": "EUR"}).status_code == 401

    def test_patch(self, alice_api, alice):
        response = alice_api.patch(ME, {"timezone": "Asia/Tokyo", "currency": "JPY", "display_name": "Ali"})
        assert response.status_code == 200
        alice.refresh_from_db()
        assert (alice.timezone, alice.currency, alice.display_name) == ("Asia/Tokyo", "JPY", "Ali")

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"timezone": "Berlin"}, "timezone"),
            ({"currency": "eur"}, "currency"),
            ({"display_name": "x" * 81}, "display_name"),
        ],
    )
    def test_patch_bad_values(self, alice_api, body, field):
        response = alice_api.patch(ME, body)
        assert response.status_code == 400
        assert field in response.json()

    def test_email_and_staff_flag_cannot_be_patched(self, alice_api, alice):
        alice_api.patch(ME, {"email": "evil@example.com", "is_staff": True})
        alice.refresh_from_db()
        assert alice.email == "alice@example.com" and not alice.is_staff

    def test_put_is_not_allowed(self, alice_api):
        assert alice_api.put(ME, {"currency": "USD"}).status_code == 405


class TestConsents:
    def test_current_state(self, alice_api):
        response = alice_api.get(CONSENTS)
        assert response.status_code == 200
        states = {item["scope"]: item["granted"] for item in response.json()}
        assert states == {
            "data_processing": True,
            "benchmarking": False,
            "recommendations": False,
            "external_sync": False,
        }

    def test_change_and_history(self, alice_api, alice, bob_api):
        response = alice_api.post(CONSENTS, {"scope": "benchmarking", "granted": True})
        assert response.status_code == 201
        assert response.json()["granted"] is True and response.json()["source"] == "api"
        assert alice_api.post(CONSENTS, {"scope": "benchmarking", "granted": True}).status_code == 200
        alice_api.post(CONSENTS, {"scope": "benchmarking", "granted": False})
        history = alice_api.get(HISTORY).json()
        assert {"next", "previous", "results"} <= set(history)
        assert [(e["scope"], e["granted"], e["source"]) for e in history["results"]] == [
            ("benchmarking", False, "api"),
            ("benchmarking", True, "api"),
            ("data_processing", True, "api"),
        ]
        assert ConsentEvent.objects.filter(user=alice).count() == 3
        # bob sees only his own sign-up event
        assert [e["scope"] for e in bob_api.get(HISTORY).json()["results"]] == ["data_processing"]

    def test_history_paginates(self, alice_api):
        for granted in (True, False, True):
            alice_api.post(CONSENTS, {"scope": "external_sync", "granted": granted})
        page = alice_api.get(HISTORY, {"page_size": 2}).json()
        assert len(page["results"]) == 2 and page["next"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"scope": "mind_reading", "granted": True}, "scope"),
            ({"scope": "benchmarking"}, "granted"),
            ({"granted": True}, "scope"),
        ],
    )
    def test_bad_input(self, alice_api, body, field):
        response = alice_api.post(CONSENTS, body)
        assert response.status_code == 400
        assert field in response.json()

    def test_anonymous_is_401(self, anon_api):
        assert anon_api.get(CONSENTS).status_code == 401
        assert anon_api.post(CONSENTS, {"scope": "benchmarking", "granted": True}).status_code == 401
        assert anon_api.get(HISTORY).status_code == 401

    def test_staff_manages_only_their_own(self, staff_api, staff, alice):
        assert staff_api.post(CONSENTS, {"scope": "recommendations", "granted": True}).status_code == 201
        assert ConsentEvent.objects.filter(user=alice, scope="recommendations").count() == 0
        assert ConsentEvent.objects.filter(user=staff, scope="recommendations").count() == 1


def test_schema_describes_the_auth_endpoints(db):
    schema = api_client_for(None).get("/api/schema/", {"format": "json"}).json()
    for path in (REGISTER, TOKEN, REFRESH, OTP_REQUEST, OTP_VERIFY, ME, CONSENTS, HISTORY):
        assert path in schema["paths"], path
