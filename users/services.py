"""Every write about users: sign-up, profile, consent, login audit, logout of tokens and emailed login codes."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import datetime_from_epoch

from users.credentials import TOKEN_FAMILY_CLAIM, FamilyRefreshToken, token_credential
from users.models import (
    CONSENT_DEFAULTS,
    ConsentEvent,
    ConsentScope,
    ConsentSource,
    LoginCode,
    LoginEvent,
    LoginMethod,
    RevokedTokenFamily,
    User,
)
from users.revocation import access_revoked_announce
from users.selectors import consent_is_granted
from users.signals import consent_changed, user_registered

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("display_name", "timezone", "currency")
WRONG_CODE = "This code is wrong, used or expired. Ask for a new one."
REFRESH_REFUSED = "This refresh token is invalid, expired or already revoked."


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _merge_errors(errors: dict[str, list[str]], error: ValidationError, field: str | None = None) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(field, error.messages)]
    for name, messages in items:
        errors.setdefault(name or "detail", []).extend(messages)


def user_register(
    *,
    email: str,
    password: str | None,
    timezone: str = "UTC",
    currency: str = "USD",
    display_name: str = "",
    ip: str | None = None,
    source: str = ConsentSource.API,
) -> User:
    """Create an account, record its data-processing consent and announce it (`user_registered`).

    `password` None makes an account that logs in only with emailed codes.
    Raises ValidationError naming each bad field (email taken, weak password, ...).
    """
    user = User(email=normalize_email(email), timezone=timezone, currency=currency, display_name=display_name)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        _merge_errors(errors, error)
    if password is not None:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            _merge_errors(errors, error, field="password")
    if errors:
        raise ValidationError(errors)
    _check_source(source)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            _append_consent_event(user=user, scope=ConsentScope.DATA_PROCESSING, granted=True, source=source, ip=ip)
            user_registered.send(sender=User, user=user)
    except IntegrityError:
        # Two sign-ups raced for the same address; the unique index let one through.
        raise ValidationError({"email": ["A user with this email address already exists."]})
    return user


def profile_update(*, user: User, **changes) -> User:
    """Change display name, timezone or currency; ValidationError names each bad field."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    with transaction.atomic():
        for name, value in changes.items():
            setattr(user, name, value)
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in changes], validate_unique=False)
        user.save(update_fields=list(changes))
    return user


def _check_scope(scope: str) -> None:
    if scope not in CONSENT_DEFAULTS:
        raise ValidationError({"scope": [f"Unknown scope; choose one of {', '.join(CONSENT_DEFAULTS)}."]})


def _check_source(source: str) -> None:
    if source not in ConsentSource.values:
        raise ValidationError({"source": [f"Unknown source; choose one of {', '.join(ConsentSource.values)}."]})


def _append_consent_event(*, user: User, scope: str, granted: bool, source: str, ip: str | None) -> ConsentEvent:
    """The audit row and the user's current decision, together (inside the caller's transaction)."""
    event = ConsentEvent.objects.create(user=user, scope=scope, granted=granted, source=source, ip=ip)
    user.consents = {**user.consents, scope: granted}
    User.objects.filter(pk=user.pk).update(consents=user.consents)
    transaction.on_commit(lambda: _announce_consent(user=user, scope=scope, granted=granted))
    return event


def _announce_consent(*, user: User, scope: str, granted: bool) -> None:
    # The decision is already saved; a failing listener must not turn it into an error for the person.
    for receiver, result in consent_changed.send_robust(sender=ConsentEvent, user=user, scope=scope, granted=granted):
        if isinstance(result, Exception):
            logger.error("consent_changed listener %r failed", receiver, exc_info=result)


def consents_given_at_signup(*, grants: list[tuple[User, str]]) -> int:
    """Scopes many new users agreed to as they signed up (demo data), appended in bulk. Nothing is announced:
    a user who has only just signed up has nothing a change of consent would withdraw."""
    unknown = {scope for _, scope in grants} - set(CONSENT_DEFAULTS)
    if unknown:
        raise ValidationError({"scope": [f"Unknown scope {', '.join(sorted(unknown))}."]})
    events = [ConsentEvent(user=user, scope=scope, granted=True, source=ConsentSource.SIGNUP) for user, scope in grants]
    created = len(ConsentEvent.objects.bulk_create(events, batch_size=5000))
    users: dict[int, User] = {}
    for user, scope in grants:
        user = users.setdefault(user.pk, user)
        user.consents = {**user.consents, scope: True}
    alike: dict[tuple, list[int]] = {}  # one UPDATE per set of decisions: there are only a few
    for user in users.values():
        alike.setdefault(tuple(sorted(user.consents.items())), []).append(user.pk)
    for consents, pks in alike.items():
        User.objects.filter(pk__in=pks).update(consents=dict(consents))
    return created


def consent_set(*, user: User, scope: str, granted: bool, source: str, ip: str | None = None) -> ConsentEvent | None:
    """Record a decision about one scope; None when it repeats the current state (nothing recorded)."""
    _check_scope(scope)
    _check_source(source)
    with transaction.atomic():
        # Serialise decisions of one person so "repeats the current state" stays true, and decide on the stored state.
        user.consents = User.objects.select_for_update().values_list("consents", flat=True).get(pk=user.pk)
        if consent_is_granted(user=user, scope=scope) == granted:
            return None
        return _append_consent_event(user=user, scope=scope, granted=granted, source=source, ip=ip)


DATA_PROCESSING_OFF = (
    "Data processing is turned off, so Spendwise records nothing new for you (what you have is kept until "
    "you erase it). Turn it on again under Settings, Privacy, to add transactions, import or sync."
)


def data_processing_require(*, user: User) -> None:
    """PermissionDenied (a 403) unless the person consents to data processing: no new ledger data without it."""
    if not consent_is_granted(user=user, scope=ConsentScope.DATA_PROCESSING):
        raise PermissionDenied(DATA_PROCESSING_OFF)


def login_event_record(
    *, email: str, user: User | None, method: str, success: bool, ip: str | None, locked_out: bool = False
) -> LoginEvent:
    return LoginEvent.objects.create(
        email=normalize_email(email)[:254], user=user, method=method, success=success, ip=ip, locked_out=locked_out
    )


def password_login(*, request, email: str, password: str, method: str, ip: str | None) -> User | None:
    """Check an email and password and record the attempt; the user, or None when wrong or locked out.

    `request` is the HttpRequest: a locked-out attempt is flagged on it (`axes_locked_out`), which
    the lockout middleware answers with 429, and recorded by users.lockouts."""
    email = normalize_email(email)
    user = authenticate(request, email=email, password=password)
    if getattr(request, "axes_locked_out", False):
        return None
    with transaction.atomic():
        tried = user or User.objects.filter(email=email).first()
        login_event_record(email=email, user=tried, method=method, success=user is not None, ip=ip)
        if user is not None and method == LoginMethod.JWT:
            # Page logins update last_login through Django's login(); tokens do it here.
            User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def token_logout(*, refresh: str) -> None:
    """Revoke a program's token family: its refresh token is refused from now on and its open sockets close.

    Raises ValidationError on `refresh` when the token is invalid, expired or already revoked."""
    try:
        token = FamilyRefreshToken(refresh)
        family = token.get(TOKEN_FAMILY_CLAIM) or token["jti"]
        user = User.objects.get(pk=token[jwt_settings.USER_ID_CLAIM])
    except (TokenError, KeyError, User.DoesNotExist):
        token = None
    with transaction.atomic():
        if (
            token is None
            or not RevokedTokenFamily.objects.get_or_create(
                family=family, defaults={"user": user, "expires_at": datetime_from_epoch(token["exp"])}
            )[1]
        ):
            raise ValidationError({"refresh": [REFRESH_REFUSED]})
        access_revoked_announce(user_id=user.pk, credential=token_credential(family))


def account_erase_confirmed(
    *, user: User, password: str | None = None, code: str | None = None, ip: str | None = None
) -> None:
    """Erase the account once the person proved it is them (password, or a fresh emailed code).

    ValidationError names the field when the proof is wrong; nothing is erased then."""
    from users.erasure import account_erase

    if password:
        if not user.check_password(password):
            raise ValidationError({"password": ["This password is not right; nothing was deleted."]})
        account_erase(user=user, confirmed_with="password")
        return
    otp_verify(email=user.email, code=code or "", ip=ip)  # ValidationError on `code` when wrong
    account_erase(user=user, confirmed_with="code")


def _hash_code(*, user: User, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table alone is not enough to brute-force 10^6 codes.
    return salted_hmac("users.login_code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def otp_request(*, email: str, ip: str | None = None) -> None:
    """Email a fresh 6-digit code to an active account; silently nothing for unknown addresses."""
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        LoginCode.objects.filter(user=user).delete()  # a new code replaces every older one
        LoginCode.objects.create(
            user=user,
            code_hash=_hash_code(user=user, code=code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.OTP_TTL_MINUTES),
        )
        transaction.on_commit(lambda: _email_login_code(user=user, code=code))


def _email_login_code(*, user: User, code: str) -> None:
    minutes = settings.OTP_TTL_MINUTES
    try:
        send_mail(
            subject=f"Your Spendwise login code: {code}",
            message=(
                f"Your code to log in to Spendwise is {code}.\n\n"
                f"It works once, for {minutes} minutes. If you did not ask for it, ignore this email; "
                "nobody can log in without the code."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        # The answer must not differ for known and unknown addresses, so a mail outage is only logged.
        logger.exception("Could not email a login code to user %s", user.pk)


def otp_verify(*, email: str, code: str, ip: str | None = None) -> User:
    """Exchange a valid code for the user; ValidationError on `code` otherwise. Every try is audited."""
    email = normalize_email(email)
    with transaction.atomic():
        user = User.objects.filter(email=email, is_active=True).first()
        login_code = LoginCode.objects.select_for_update().filter(user=user).first() if user else None
        accepted = _code_accepted(login_code=login_code, code=code)
        if accepted:
            login_code.delete()
            User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        elif login_code is not None:
            login_code.attempts += 1
            login_code.save(update_fields=["attempts"])
        login_event_record(email=email, user=user, method=LoginMethod.OTP, success=accepted, ip=ip)
    if not accepted:
        raise ValidationError({"code": [WRONG_CODE]})
    return user


def _code_accepted(*, login_code: LoginCode | None, code: str) -> bool:
    if login_code is None or login_code.expires_at <= timezone.now():
        return False
    if login_code.attempts >= settings.OTP_MAX_ATTEMPTS:
        return False
    return constant_time_compare(login_code.code_hash, _hash_code(user=login_code.user, code=code.strip()))
