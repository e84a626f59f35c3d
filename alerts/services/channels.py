"""Notification channels: add, change, verify by code, send a test, delete."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from alerts.models import ChannelKind, Delivery, DeliveryStatus, Notification, NotificationChannel
from alerts.services.notify import dispatch
from alerts.transports.email import send_email
from alerts.transports.sms import is_e164, sms_provider
from alerts.transports.webhook import UnsafeTarget, check_target

CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
WEBHOOK_EVENTS = ("notification", "transaction.created", "transaction.updated", "transaction.deleted", "budget.updated")


def _code_hash(channel: NotificationChannel, code: str) -> str:
    return salted_hmac("alerts.channel-verification", f"{channel.pk}:{code}").hexdigest()


def _validate(channel: NotificationChannel) -> None:
    target = channel.target = (channel.target or "").strip()
    errors: dict[str, list[str]] = {}
    if channel.kind == ChannelKind.EMAIL:
        try:
            EmailValidator()(target)
        except ValidationError:
            errors["target"] = ["Enter a valid email address."]
        channel.target = target.lower()
    elif channel.kind == ChannelKind.SMS and not is_e164(target):
        errors["target"] = ["Enter the number in international E.164 form, e.g. +491701234567."]
    elif channel.kind == ChannelKind.PUSH:
        if not target.startswith("https://"):
            errors["target"] = ["A push subscription endpoint is an https:// URL."]
        if not {"p256dh", "auth"} <= set(channel.push_keys or {}):
            errors["keys"] = ["A push subscription needs its p256dh and auth keys."]
    elif channel.kind == ChannelKind.WEBHOOK:
        try:
            check_target(target)
        except UnsafeTarget as exc:
            errors["target"] = [str(exc)]
        unknown = [e for e in channel.events if e not in WEBHOOK_EVENTS]
        if unknown:
            errors["events"] = [f"Unknown events {', '.join(unknown)}; choose from {', '.join(WEBHOOK_EVENTS)}."]
    if channel.kind not in ChannelKind.values or channel.kind == ChannelKind.IN_APP:
        errors = {"kind": ["Choose email, sms, push or webhook."]}
    if len(target) > 2000:
        errors["target"] = ["At most 2000 characters."]
    if errors:
        raise ValidationError(errors)


def _needs_code(channel: NotificationChannel) -> bool:
    if channel.kind == ChannelKind.SMS:
        return True
    return channel.kind == ChannelKind.EMAIL and channel.target != channel.user.email.lower()


def _send_code(channel: NotificationChannel) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    channel.verification_code_hash = _code_hash(channel, code)
    channel.verification_expires_at = timezone.now() + CODE_TTL
    channel.verification_attempts = 0
    channel.save(update_fields=["verification_code_hash", "verification_expires_at", "verification_attempts"])
    if channel.kind == ChannelKind.SMS:
        transaction.on_commit(lambda: sms_provider().send(to=channel.target, body=f"Your Spendwise code: {code}"))
    else:
        context = {"code": code, "minutes": int(CODE_TTL.total_seconds() // 60), "site_url": settings.SITE_URL}
        transaction.on_commit(
            lambda: send_email(
                to=channel.target, subject="Your Spendwise code", template="emails/verification", context=context
            )
        )


def _save_unique(channel: NotificationChannel) -> None:
    """Save; the database's unique (user, kind, target) decides, so two racing requests cannot both add it."""
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError:
        raise ValidationError({"target": ["You already have this channel."]})


@transaction.atomic
def channel_create(*, user, kind: str, target: str, secret: str = "", push_keys=None, events=None, categories=None):
    """Add a channel. SMS numbers and other people's email addresses get a code to confirm; others are ready."""
    channel = NotificationChannel(
        user=user, kind=kind, target=target, secret=secret or "", push_keys=push_keys or {},
        events=list(events or (["notification"] if kind == ChannelKind.WEBHOOK else [])), categories=list(categories or []),
    )  # fmt: skip
    _validate(channel)
    if channel.kind == ChannelKind.WEBHOOK and not channel.secret:
        channel.secret = secrets.token_urlsafe(32)
    channel.verified = not _needs_code(channel)
    _save_unique(channel)
    if not channel.verified:
        _send_code(channel)
    return channel


@transaction.atomic
def channel_update(*, user, channel: NotificationChannel, **changes) -> NotificationChannel:
    allowed = {"target", "secret", "push_keys", "events", "categories"}
    bad = set(changes) - allowed
    if bad:
        raise ValidationError({name: ["This field cannot be changed."] for name in bad})
    target_changed = "target" in changes and changes["target"].strip() != channel.target
    for name, value in changes.items():
        if name != "secret" or value:
            setattr(channel, name, value)
    _validate(channel)
    if target_changed:
        channel.verified = not _needs_code(channel)
    _save_unique(channel)
    if target_changed and not channel.verified:
        _send_code(channel)
    return channel


@transaction.atomic
def channel_resend_code(*, user, channel: NotificationChannel) -> None:
    if channel.verified:
        raise ValidationError({"detail": "This channel is already verified."})
    _send_code(channel)


def channel_verify(*, user, channel: NotificationChannel, code: str) -> NotificationChannel:
    """Confirm a channel with the code sent to it: 10 minutes, 5 tries (a wrong try is counted even though it fails)."""
    with transaction.atomic():
        channel = NotificationChannel.objects.select_for_update().get(id=channel.id)
        problem = _verification_problem(channel, code)
        if problem == "wrong":
            channel.verification_attempts += 1
            channel.save(update_fields=["verification_attempts"])
        elif problem is None and not channel.verified:
            channel.verified, channel.verification_code_hash, channel.verification_expires_at = True, "", None
            channel.save(update_fields=["verified", "verification_code_hash", "verification_expires_at"])
    if problem is not None:
        raise ValidationError({"code": [VERIFICATION_PROBLEMS[problem]]})
    return channel


VERIFICATION_PROBLEMS = {
    "expired": "The code has expired; ask for a new one.",
    "locked": "Too many wrong codes; ask for a new one.",
    "wrong": "That code is not right.",
}


def _verification_problem(channel: NotificationChannel, code: str) -> str | None:
    if channel.verified:
        return None
    if not channel.verification_code_hash or timezone.now() > channel.verification_expires_at:
        return "expired"
    if channel.verification_attempts >= CODE_MAX_ATTEMPTS:
        return "locked"
    if not constant_time_compare(_code_hash(channel, code), channel.verification_code_hash):
        return "wrong"
    return None


@transaction.atomic
def channel_delete(*, user, channel: NotificationChannel) -> None:
    channel.delete()


@transaction.atomic
def channel_send_test(*, user, channel: NotificationChannel) -> Notification:
    """Send a test notification to this one channel now (no quiet hours, no limit)."""
    if not channel.verified:
        raise ValidationError({"detail": "Verify this channel first."})
    notification = Notification.objects.create(
        user=user, kind="test", severity="info", title="Test notification",
        body=f"This is a test from Spendwise to your {channel.get_kind_display()} channel. It works!",
        data={"channel": channel.id},
    )  # fmt: skip
    delivery = Delivery.objects.create(
        user=user, notification=notification, channel=channel.kind, endpoint=channel, status=DeliveryStatus.PENDING
    )
    transaction.on_commit(lambda: dispatch([delivery.id]))
    return notification
