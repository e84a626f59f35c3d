from django import forms


class DismissForm(forms.Form):
    feedback = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        label="Why not? (optional)", help_text="Your answer helps us suggest better things.",
    )  # fmt: skip
