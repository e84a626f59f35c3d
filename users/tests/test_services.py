import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from users import services
from users.models import ConsentEvent, ConsentScope, LoginCode, LoginEvent, LoginMethod, User
from users.selectors import consent_is_granted
from users.signals import consent_changed
from users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def emailed_code(message) -> str:
    return message.subject.rsplit(" ", 1)[-1]


def request_code(capture, email: str) -> str:
    with capture(execute=True):
        services.otp_request(email=email)
    return emailed_code(mail.outbox[-1])


class TestRegister:
    def test_creates_user_with_argon2_and_data_processing_consent(self):
        user = services.user_register(email="New@Example.com", password=PASSWORD, timezone="Asia/Tokyo", currency="JPY")
        assert user.email == "new@example.com"
        assert user.password.startswith("argon2")
        assert user.check_password(PASSWORD)
        event = ConsentEvent.objects.get(user=user)
        assert (event.scope, event.granted, event.source) == ("data_processing", True, "api")

    @pytest.mark.parametrize(
        ("fields", "bad_field"),
        [
            ({"password": "short"}, "password"),
            ({"password": "1234567890123"}, "password"),
            ({"password": "password1234"}, "password"),
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"currency": "XXY"}, "currency"),
            ({"email": "not-an-email"}, "email"),
        ],
    )
    def test_bad_input_names_the_field(self, fields, bad_field):
        with pytest.raises(ValidationError) as caught:
            services.user_register(**{"email": "x@example.com", "password": PASSWORD, **fields})
        assert bad_field in caught.value.message_dict
        assert not User.objects.exists()

    def test_email_taken_in_any_case(self):
        services.user_register(email="dup@example.com", password=PASSWORD)
        with pytest.raises(ValidationError) as caught:
            services.user_register(email="DUP@example.com", password=PASSWORD)
        assert "email" in caught.value.message_dict

    def test_no_password_means_code_only(self):
        user = services.user_register(email="codes@example.com", password=None)
        assert not user.has_usable_password()


class TestProfileUpdate:
    def test_changes_fields(self):
        user = UserFactory()
        services.profile_update(user=user, timezone="Europe/Paris", currency="EUR", display_name="Zoé")
        user.refresh_from_db()
        assert (user.timezone, user.currency, user.display_name) == ("Europe/Paris", "EUR", "Zoé")

    @given(st.text(max_size=40).filter(lambda text: text not in zoneinfo.available_timezones()))
    @settings(max_examples=50, deadline=None)
    def test_any_other_timezone_text_is_a_field_error(self, text):
        user = User(email="h@example.com", timezone="UTC")
        with pytest.raises(ValidationError) as caught:
            services.profile_update(user=user, timezone=text)
        assert set(caught.value.message_dict) == {"timezone"}

    def test_refuses_other_fields(self):
        with pytest.raises(ValidationError) as caught:
            services.profile_update(user=UserFactory(), is_staff=True)
        assert "is_staff" in caught.value.message_dict


class TestConsent:
    def test_events_are_appended_and_latest_decides(self):
        user = UserFactory()
        assert consent_is_granted(user=user, scope="benchmarking") is False
        services.consent_set(user=user, scope="benchmarking", granted=True, source="api", ip="10.0.0.1")
        services.consent_set(user=user, scope="benchmarking", granted=False, source="web")
        assert consent_is_granted(user=user, scope="benchmarking") is False
        events = list(ConsentEvent.objects.filter(user=user, scope="benchmarking").order_by("id"))
        assert [(e.granted, e.source, e.ip) for e in events] == [(True, "api", "10.0.0.1"), (False, "web", None)]

    def test_repeating_the_current_state_records_nothing(self):
        user = UserFactory()
        assert services.consent_set(user=user, scope="data_processing", granted=True, source="api") is None
        assert ConsentEvent.objects.filter(user=user).count() == 1

    def test_events_cannot_be_changed_or_deleted(self):
        event = ConsentEvent.objects.get(user=UserFactory())
        event.granted = False
        with pytest.raises(ValueError, match="append-only"):
            event.save()
        with pytest.raises(ValueError, match="append-only"):
            event.delete()

    def test_unknown_scope_or_source(self):
        user = UserFactory()
        with pytest.raises(ValidationError) as caught:
            services.consent_set(user=user, scope="telepathy", granted=True, source="api")
        assert "scope" in caught.value.message_dict
        with pytest.raises(ValidationError) as caught:
            services.consent_set(user=user, scope="benchmarking", granted=True, source="pigeon")
        assert "source" in caught.value.message_dict

    def test_signal_is_sent_after_commit(self, django_capture_on_commit_callbacks):
        user = UserFactory()
        received = []

        def listener(sender, **kwargs):
            received.append((kwargs["user"], kwargs["scope"], kwargs["granted"]))

        consent_changed.connect(listener)
        try:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                services.consent_set(user=user, scope="recommendations", granted=True, source="api")
            assert received == []  # nothing before the commit
            for callback in callbacks:
                callback()
        finally:
            consent_changed.disconnect(listener)
        assert received == [(user, "recommendations", True)]

    def test_signup_sends_the_signal_for_data_processing(self, django_capture_on_commit_callbacks):
        received = []

        def listener(sender, **kwargs):
            received.append((kwargs["scope"], kwargs["granted"]))

        consent_changed.connect(listener)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                UserFactory()
        finally:
            consent_changed.disconnect(listener)
        assert received == [(ConsentScope.DATA_PROCESSING, True)]


class TestPasswordLogin:
    def test_success_and_failure_are_recorded(self, rf):
        user = UserFactory(email="pw@example.com")
        request = rf.post("/")
        assert (
            services.password_login(
                request=request, email="PW@example.com", password=PASSWORD, method="jwt", ip="10.1.1.1"
            )
            == user
        )
        assert (
            services.password_login(
                request=request, email="pw@example.com", password="nope", method="password", ip=None
            )
            is None
        )
        assert (
            services.password_login(request=request, email="ghost@example.com", password="x", method="jwt", ip=None)
            is None
        )
        rows = list(LoginEvent.objects.order_by("id").values_list("email", "user", "method", "success", "ip"))
        assert rows == [
            ("pw@example.com", user.pk, "jwt", True, "10.1.1.1"),
            ("pw@example.com", user.pk, "password", False, None),
            ("ghost@example.com", None, "jwt", False, None),
        ]

    def test_inactive_user_cannot_log_in(self, rf):
        user = UserFactory()
        user.is_active = False
        user.save()
        assert (
            services.password_login(request=rf.post("/"), email=user.email, password=PASSWORD, method="jwt", ip=None)
            is None
        )


class TestOtp:
    def test_happy_path_code_is_emailed_and_stored_hashed(self, django_capture_on_commit_callbacks):
        user = UserFactory(email="otp@example.com")
        code = request_code(django_capture_on_commit_callbacks, "OTP@example.com")
        assert len(code) == 6 and code.isdigit()
        assert mail.outbox[-1].to == ["otp@example.com"]
        assert code in mail.outbox[-1].body
        stored = LoginCode.objects.get(user=user)
        assert code not in stored.code_hash
        assert len(stored.code_hash) == 64
        assert services.otp_verify(email="otp@example.com", code=code) == user
        assert not LoginCode.objects.filter(user=user).exists()
        event = LoginEvent.objects.get()
        assert (event.user, event.method, event.success) == (user, LoginMethod.OTP, True)

    def test_code_works_once(self, django_capture_on_commit_callbacks):
        UserFactory(email="once@example.com")
        code = request_code(django_capture_on_commit_callbacks, "once@example.com")
        services.otp_verify(email="once@example.com", code=code)
        with pytest.raises(ValidationError) as caught:
            services.otp_verify(email="once@example.com", code=code)
        assert "code" in caught.value.message_dict

    @override_settings(OTP_TTL_MINUTES=10)
    def test_expires(self, django_capture_on_commit_callbacks):
        UserFactory(email="late@example.com")
        with freeze_time("2026-03-01 12:00:00") as frozen:
            code = request_code(django_capture_on_commit_callbacks, "late@example.com")
            frozen.tick(timedelta(minutes=10, seconds=1))
            with pytest.raises(ValidationError):
                services.otp_verify(email="late@example.com", code=code)

    def test_valid_just_before_expiry(self, django_capture_on_commit_callbacks):
        user = UserFactory(email="intime@example.com")
        with freeze_time("2026-03-01 12:00:00") as frozen:
            code = request_code(django_capture_on_commit_callbacks, "intime@example.com")
            frozen.tick(timedelta(minutes=9, seconds=59))
            assert services.otp_verify(email="intime@example.com", code=code) == user

    def test_five_wrong_tries_then_even_the_right_code_is_refused(self, django_capture_on_commit_callbacks):
        UserFactory(email="tries@example.com")
        code = request_code(django_capture_on_commit_callbacks, "tries@example.com")
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(5):
            with pytest.raises(ValidationError):
                services.otp_verify(email="tries@example.com", code=wrong)
        with pytest.raises(ValidationError):
            services.otp_verify(email="tries@example.com", code=code)
        assert LoginEvent.objects.filter(success=False, method="otp").count() == 6

    def test_new_request_invalidates_the_old_code(self, django_capture_on_commit_callbacks):
        user = UserFactory(email="again@example.com")
        first = request_code(django_capture_on_commit_callbacks, "again@example.com")
        second = request_code(django_capture_on_commit_callbacks, "again@example.com")
        if first != second:
            with pytest.raises(ValidationError):
                services.otp_verify(email="again@example.com", code=first)
        assert LoginCode.objects.filter(user=user).count() == 1
        assert services.otp_verify(email="again@example.com", code=second) == user

    def test_unknown_email_sends_nothing_and_stores_nothing(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.otp_request(email="nobody@example.com")
        assert mail.outbox == []
        assert not LoginCode.objects.exists()
        with pytest.raises(ValidationError):
            services.otp_verify(email="nobody@example.com", code="123456")
        event = LoginEvent.objects.get()
        assert (event.user, event.email, event.success) == (None, "nobody@example.com", False)


def test_a_failing_consent_listener_does_not_break_the_change(django_capture_on_commit_callbacks):
    user = UserFactory()

    def broken_listener(sender, **kwargs):
        raise RuntimeError("listener bug")

    consent_changed.connect(broken_listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.consent_set(user=user, scope="benchmarking", granted=True, source="api")
    finally:
        consent_changed.disconnect(broken_listener)
    assert consent_is_granted(user=user, scope="benchmarking") is True


def test_consents_given_at_signup_are_recorded_for_each_user(alice, bob):
    heard = []
    consent_changed.connect(lambda **kwargs: heard.append(kwargs), weak=False, dispatch_uid="test-seeded-consents")
    try:
        recorded = services.consents_given_at_signup(
            grants=[(alice, ConsentScope.BENCHMARKING), (bob, ConsentScope.RECOMMENDATIONS)]
        )
    finally:
        consent_changed.disconnect(dispatch_uid="test-seeded-consents")
    assert recorded == 2
    assert consent_is_granted(user=alice, scope=ConsentScope.BENCHMARKING)
    assert not consent_is_granted(user=alice, scope=ConsentScope.RECOMMENDATIONS)
    assert consent_is_granted(user=bob, scope=ConsentScope.RECOMMENDATIONS)
    assert heard == []  # nothing to withdraw for someone who has only just signed up


def test_consents_given_at_signup_refuse_an_unknown_scope_and_record_nothing(alice):
    before = ConsentEvent.objects.count()
    with pytest.raises(ValidationError, match="telepathy"):
        services.consents_given_at_signup(grants=[(alice, ConsentScope.BENCHMARKING), (alice, "telepathy")])
    assert ConsentEvent.objects.count() == before
