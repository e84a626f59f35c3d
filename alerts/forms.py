"""Forms of the alerts pages; the rules themselves are checked once, in alerts.services."""

from django import forms

from alerts.models import ChannelKind, NotificationKind, Severity, default_thresholds
from users.forms import TIMEZONE_CHOICES


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


class ThresholdForm(forms.Form):
    """One row of a rule's thresholds; a row left without a percent is ignored."""

    percent = forms.IntegerField(required=False, min_value=1, max_value=1000, label="Percent of the budget")
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.WARNING, label="Severity")


# One empty row more than the rule has, so a threshold can be added without JavaScript.
ThresholdFormSet = forms.formset_factory(ThresholdForm, extra=1, can_delete=True)


class AlertRuleForm(DescribedForm):
    """The rule's fields, and its thresholds as rows (`threshold_rows`, a formset with prefix "thresholds")."""

    name = forms.CharField(max_length=100, required=False)
    category = forms.ChoiceField(required=False, help_text="Leave on “All budgets” to watch every budget.")
    channels = forms.MultipleChoiceField(
        choices=ChannelKind.choices, widget=forms.CheckboxSelectMultiple, initial=["in_app"]
    )
    quiet_hours_start = forms.TimeField(
        required=False, input_formats=["%H:%M"], initial="20:00", help_text="HH:MM; empty for none."
    )
    quiet_hours_end = forms.TimeField(required=False, input_formats=["%H:%M"], initial="08:00")
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Time zone", help_text="Quiet hours are in it.")
    daily_limit = forms.IntegerField(
        min_value=0, initial=3, help_text="Most alerts a day outside the app; the rest go into a daily digest."
    )
    cooldown_minutes = forms.IntegerField(
        min_value=0, initial=60, help_text="No repeat of the same alert within this many minutes."
    )
    enabled = forms.BooleanField(required=False, initial=True)

    def __init__(self, data=None, *args, categories=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["category"].choices = [("", "All budgets"), *((c.slug, c.name) for c in categories)]
        for name in ("quiet_hours_start", "quiet_hours_end"):
            self.fields[name].widget.format = "%H:%M"
        # Bound rows are read as posted: compared with an initial row, an unchanged one would be skipped.
        initial = None if self.is_bound else self.initial.get("thresholds", default_thresholds())
        self.threshold_rows = ThresholdFormSet(data, prefix="thresholds", initial=initial)

    def is_valid(self) -> bool:
        rows_valid = self.threshold_rows.is_valid()
        return super().is_valid() and rows_valid

    def thresholds(self) -> list[dict]:
        """The rows kept (a percent given, not marked for removal), lowest percent first."""
        kept = [
            {"percent": row["percent"], "severity": row["severity"]}
            for row in (form.cleaned_data for form in self.threshold_rows.forms)
            if row.get("percent") is not None and not row.get("DELETE")
        ]
        return sorted(kept, key=lambda threshold: threshold["percent"])

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = data["category"] or None
        data["thresholds"] = self.thresholds()
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
