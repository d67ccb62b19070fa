"""Input validation of the scorecard's forms. French messages; decimal commas accepted."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innovaction.concurrency import VersionedFormMixin
from innovaction.models import User
from innovaction.roles import Role
from scorecard.models import Indicator, Objective, Perspective
from scorecard.periods import Period


class PeriodField(forms.CharField):
    """A month typed as AAAA-MM (a month picker where the browser has one)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM", "pattern": r"\d{4}-\d{2}"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return str(value) if isinstance(value, Period) else value

    def clean(self, value):
        value = super().clean(value)
        return Period.parse(value) if value else None


class DecimalInput(forms.TextInput):
    """Text, so « 7,5 » and « 1 234,50 » can be typed; `inputmode` brings the numeric keypad."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the French way: « 1 234,5 » as well as « 1234.5 »."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        return super().to_python(value)


def decimal_field(label, *, required=True, help_text=""):
    return LocalDecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=DecimalInput(),
        error_messages={
            "invalid": _("Saisissez un nombre, par exemple 7,5 ou 1200."),
            "max_decimal_places": _("Au plus %(max)s décimales."),
            "max_digits": _("Ce nombre est trop long."),
        },
    )


class MeasurementForm(forms.Form):
    period = PeriodField(label=_("Mois"), help_text=_("Au format AAAA-MM, par exemple 2025-03."))
    value = decimal_field(_("Valeur"))
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour corriger un mois verrouillé : indiquez le motif."),
    )


class ReviseForm(forms.Form):
    period = PeriodField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Motif de la correction"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class RecomputeForm(forms.Form):
    first = PeriodField(label=_("Du mois"))
    last = PeriodField(label=_("Au mois"))


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ["code", "name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["perspective", "code", "name", "description", "order", "effects"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "effects": forms.CheckboxSelectMultiple}
        help_texts = {"effects": _("Les objectifs que celui-ci fait progresser (cause → effet).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        effects = Objective.objects.select_related("perspective")
        if self.instance.pk:
            effects = effects.exclude(pk=self.instance.pk)
        self.fields["effects"].queryset = effects
        self.fields["effects"].required = False


class IndicatorForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "perspective",
            "objective",
            "unit",
            "direction",
            "periodicity",
            "source",
            "owner",
            "baseline_value",
            "baseline_date",
            "tolerance_pct",
            "decimals",
            "min_value",
            "max_value",
            "is_active",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.with_role(Role.DIRECTOR, Role.LEAD).order_by(
            "last_name", "first_name"
        )
        self.fields["objective"].queryset = Objective.objects.select_related("perspective")
        for name in ("baseline_value", "tolerance_pct", "min_value", "max_value"):
            old = self.fields[name]
            self.fields[name] = decimal_field(old.label, required=old.required, help_text=old.help_text)


class TargetForm(forms.Form):
    year = forms.IntegerField(
        label=_("Année"), min_value=2000, max_value=2100, error_messages={"invalid": _("Saisissez une année.")}
    )
    value = decimal_field(_("Cible"))


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field when the form has it,
    at the top otherwise; the user's input stays in the form."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, errors in messages.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
