from django import forms


class ApproveForm(forms.Form):
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, help_text="Required: the user never sees it."
    )


class OverrideForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


DECISION_FORMS = {"approve": ApproveForm, "reject": RejectForm, "override": OverrideForm}
