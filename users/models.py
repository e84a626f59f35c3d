from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.utils import timezone as dj_timezone

from users.signals import user_registered
from users.validators import validate_currency, validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        with transaction.atomic(using=self._db):
            user.save(using=self._db)
            user_registered.send(sender=self.model, user=user)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, email: str):
        # Addresses are stored in lower case, so "Alice@Example.com" logs in as alice.
        return self.get(email=email.strip().lower())


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Spendwise. The email address is the login."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    currency = models.CharField(max_length=3, default="USD", validators=[validate_currency])
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin (operators).")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=dj_timezone.now)
    # The current decision per consent scope, kept with every ConsentEvent (the audit trail) by users.services, so
    # the checks on every write, evaluation and notification read the user already loaded. A scope that is not
    # here was never decided, and CONSENT_DEFAULTS applies.
    consents = models.JSONField(default=dict, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name or self.email


class ConsentScope(models.TextChoices):
    DATA_PROCESSING = "data_processing", "Data processing"
    BENCHMARKING = "benchmarking", "Peer benchmarking"
    RECOMMENDATIONS = "recommendations", "Recommendations"
    EXTERNAL_SYNC = "external_sync", "External sync"


# What a scope means when the person has never decided: only data processing, which
# the service cannot work without, is on; everything else is opt-in.
CONSENT_DEFAULTS: dict[str, bool] = {
    ConsentScope.DATA_PROCESSING: True,
    ConsentScope.BENCHMARKING: False,
    ConsentScope.RECOMMENDATIONS: False,
    ConsentScope.EXTERNAL_SYNC: False,
}

CONSENT_DESCRIPTIONS: dict[str, str] = {
    ConsentScope.DATA_PROCESSING: (
        "Store and process your accounts and transactions so Spendwise can show your budgets, alerts and "
        "summaries. Spendwise cannot work without it."
    ),
    ConsentScope.BENCHMARKING: (
        "Count your spending, without your name, in peer comparisons, and show you how you compare with "
        "people like you."
    ),
    ConsentScope.RECOMMENDATIONS: (
        "Look at your spending patterns to suggest changes. A person on our team reviews every suggestion "
        "before you see it."
    ),
    ConsentScope.EXTERNAL_SYNC: (
        "Accept transactions that your card, bank or e-wallet providers send to Spendwise on your behalf."
    ),
}


class ConsentSource(models.TextChoices):
    API = "api", "API"
    WEB = "web", "Web page"
    SIGNUP = "signup", "Sign-up"
    SYNC = "sync", "External sync"
    ADMIN = "admin", "Operator (admin)"


class ConsentEvent(models.Model):
    """One decision about one consent scope. Append-only: the latest event per scope decides."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_events")
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    granted = models.BooleanField()
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)
    source = models.CharField(max_length=16, choices=ConsentSource.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "scope", "-created_at", "-id"], name="consent_latest_idx")]

    def __str__(self) -> str:
        return f"{self.user} {'granted' if self.granted else 'revoked'} {self.scope}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Consent events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consent events are append-only and cannot be deleted one by one.")


class LoginMethod(models.TextChoices):
    PASSWORD = "password", "Password (web)"
    OTP = "otp", "Emailed code"
    JWT = "jwt", "API token"
    SESSION = "session", "Right after sign-up"
    ADMIN = "admin", "Admin login"


class LoginEvent(models.Model):
    """One attempt to log in, successful or not, kept for the person and for operators."""

    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="login_events")
    email = models.CharField(max_length=254, help_text="The address that was typed in.")
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=16, choices=LoginMethod.choices)
    success = models.BooleanField()
    locked_out = models.BooleanField(
        default=False,
        help_text="Refused without checking the password: too many failed logins for the account or address.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="login_event_user_idx")]

    def __str__(self) -> str:
        return f"{self.email} {self.method} {'ok' if self.success else 'locked out' if self.locked_out else 'failed'}"


class LoginCode(models.Model):
    """An emailed one-time login code. Only its keyed hash is stored; one live code per user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"login code for {self.user}"


class RevokedTokenFamily(models.Model):
    """A program's logout: its refresh token, and every access token minted from it, no longer sign in.

    Kept until the refresh token would have expired anyway."""

    family = models.CharField(max_length=64, unique=True, help_text="The id (jti) of the refresh token.")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="revoked_token_families")
    revoked_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-revoked_at"]
        verbose_name_plural = "revoked token families"

    def __str__(self) -> str:
        return f"token family {self.family} of {self.user}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """A zip of everything a person has, prepared in the background, downloadable until `expires_at`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    created_at = models.DateTimeField(default=dj_timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    archive = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"data export {self.pk} of {self.user}"


class ErasureEvent(models.Model):
    """An account erased at its owner's request. Kept, with the consent history, after everything else is gone."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="erasure_events")
    created_at = models.DateTimeField(default=dj_timezone.now)
    confirmed_with = models.CharField(max_length=16, help_text="How the person proved it was them: password or code.")
    rows_removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"erasure of user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
