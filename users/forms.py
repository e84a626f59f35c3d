"""Forms of the account pages. They check shape only; the services decide the rules."""

import zoneinfo

from django import forms

from core.currencies import CURRENCY_CHOICES
from core.display import zone_name
from users.models import ConsentScope

TIMEZONE_CHOICES = [(name, zone_name(name)) for name in sorted(zoneinfo.available_timezones())]


class AccessibleForm(forms.Form):
    """Links each field to its help text and errors (aria-describedby) and marks it aria-invalid."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described_by = [f"{bound.auto_id}_helptext"] if bound.help_text else []
                described_by.append(f"{bound.auto_id}_errors")
                self.fields[name].widget.attrs.update(
                    {"aria-describedby": " ".join(described_by), "aria-invalid": "true"}
                )


class SignupForm(AccessibleForm):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common or all-numeric password.",
    )
    display_name = forms.CharField(required=False, max_length=80, label="Name (optional)")
    timezone = forms.ChoiceField(
        choices=TIMEZONE_CHOICES,
        initial="UTC",
        label="Time zone",
        widget=forms.Select(attrs={"data-browser-timezone": ""}),
        help_text="Your months and quiet hours follow it.",
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, initial="USD", label="Main currency")


class LoginForm(AccessibleForm):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeRequestForm(AccessibleForm):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class CodeVerifyForm(AccessibleForm):
    email = forms.EmailField(widget=forms.HiddenInput)
    code = forms.CharField(
        max_length=12,
        label="6-digit code",
        help_text="From the email we just sent. It works once, for 10 minutes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(AccessibleForm):
    display_name = forms.CharField(required=False, max_length=80, label="Name")
    timezone = forms.ChoiceField(
        choices=TIMEZONE_CHOICES, label="Time zone", help_text="Months, quiet hours and times are shown in it."
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label="Main currency")


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(choices=ConsentScope.choices, widget=forms.HiddenInput)
    granted = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EraseForm(AccessibleForm):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        help_text="Your password, to show it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that my account and all my data are deleted for good and cannot be brought back.",
    )
