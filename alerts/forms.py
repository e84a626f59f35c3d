"""Forms of the alerts pages; the rules themselves are checked once, in alerts.services."""

import re

from django import forms

from alerts.models import ChannelKind, NotificationKind

THRESHOLD_ITEM = re.compile(r"^\s*(\d+)\s*%?\s*:\s*([a-z]+)\s*$")


class DescribedForm(forms.Form):
    """Links each input to its help text and errors (aria-describedby), errors added by services included."""

    def full_clean(self):
        super().full_clean()
        self._describe()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe()

    def _describe(self):
        for name, field in self.fields.items():
            ids = [f"{self.auto_id % name}_helptext"] if field.help_text else []
            if name in (self._errors or {}):
                ids.append(f"{self.auto_id % name}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class ThresholdsField(forms.CharField):
    """'80:info, 95:warning, 100:danger' <-> [{percent, severity}]."""

    def to_python(self, value):
        text = super().to_python(value)
        thresholds = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            match = THRESHOLD_ITEM.match(item)
            if not match:
                raise forms.ValidationError(f"'{item}' is not percent:severity, e.g. 80:info.")
            thresholds.append({"percent": int(match[1]), "severity": match[2]})
        return thresholds

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(f"{t['percent']}:{t['severity']}" for t in value)
        return value


class AlertRuleForm(DescribedForm):
    name = forms.CharField(max_length=100, required=False)
    category = forms.ChoiceField(required=False, help_text="Leave on “All budgets” to watch every budget.")
    thresholds = ThresholdsField(
        initial="80:info, 95:warning, 100:danger, 150:critical",
        help_text="Percent of the budget and severity (info, warning, danger, critical), comma separated, ascending.",
    )
    channels = forms.MultipleChoiceField(
        choices=ChannelKind.choices, widget=forms.CheckboxSelectMultiple, initial=["in_app"]
    )
    quiet_hours_start = forms.TimeField(
        required=False, input_formats=["%H:%M"], initial="20:00", help_text="HH:MM; empty for none."
    )
    quiet_hours_end = forms.TimeField(required=False, input_formats=["%H:%M"], initial="08:00")
    timezone = forms.CharField(max_length=64, help_text="An IANA time zone such as Europe/Berlin.")
    daily_limit = forms.IntegerField(
        min_value=0, initial=3, help_text="Most alerts a day outside the app; the rest go into a daily digest."
    )
    cooldown_minutes = forms.IntegerField(
        min_value=0, initial=60, help_text="No repeat of the same alert within this many minutes."
    )
    enabled = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All budgets"), *((c.slug, c.name) for c in categories)]
        for name in ("quiet_hours_start", "quiet_hours_end"):
            self.fields[name].widget.format = "%H:%M"

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = data["category"] or None
        return data


class ChannelForm(DescribedForm):
    kind = forms.ChoiceField(choices=[c for c in ChannelKind.choices if c[0] not in ("in_app", "push")])
    target = forms.CharField(
        max_length=2000, help_text="Email address, phone number in E.164 form (+491701234567) or https:// webhook URL."
    )
    secret = forms.CharField(
        required=False, max_length=200, help_text="Webhook signing secret; leave empty to generate one."
    )
    events = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (e, e)
            for e in (
                "notification",
                "transaction.created",
                "transaction.updated",
                "transaction.deleted",
                "budget.updated",
            )
        ],
        help_text="Webhooks only: what to send (notifications by default).",
    )


class VerifyForm(DescribedForm):
    code = forms.RegexField(
        regex=r"^\d{6}$", max_length=6, error_messages={"invalid": "Enter the 6-digit code we sent."}
    )


class NotificationFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *NotificationKind.choices])
    unread = forms.BooleanField(required=False, label="Unread only")
