from django import forms

from scorecard.reports.models import Recipient


class RecipientForm(forms.ModelForm):
    class Meta:
        model = Recipient
        fields = ["name", "email", "role", "is_active"]
