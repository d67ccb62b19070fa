"""Input validation of the portfolio's forms; the rules themselves are in the services."""

import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovaction.concurrency import VersionedFormMixin
from innovaction.models import User
from innovaction.roles import Role
from portfolio.choices import OPEN_PHASES_ORDER, Phase, Weather
from portfolio.models import CommissionLetter, District, Document, Milestone, ProgressNote, Project, Risk, Theme
from portfolio.services.projects import LETTER_EDITABLE, LETTER_FIELDS, PROJECT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoneyInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"step": "0.01", "min": "0", "inputmode": "decimal", **(attrs or {})})


def _dates_and_money(form: forms.BaseForm) -> None:
    """Date pickers for date fields, decimal keypads for amounts."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput(field.widget.attrs)
        elif isinstance(field, forms.DecimalField):
            field.widget = MoneyInput(field.widget.attrs)
            field.help_text = field.help_text or _("En euros, par exemple 125000,50.")


def people(*roles: Role):
    return User.objects.with_role(*roles).order_by("last_name", "first_name")


class PortfolioModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates_and_money(self)


# Registration ---------------------------------------------------------------------------------


class LetterForm(PortfolioModelForm):
    signed_pdf = forms.FileField(
        label=_("Lettre signée (PDF)"),
        help_text=_("Le fichier est vérifié par son contenu : seul un vrai PDF est accepté."),
    )

    class Meta:
        model = CommissionLetter
        fields = LETTER_FIELDS
        widgets = {"expected_results": forms.Textarea(attrs={"rows": 3})}


# The service's fields, with the team after the lead.
PROJECT_FORM_FIELDS = [
    *PROJECT_FIELDS[: PROJECT_FIELDS.index("lead") + 1],
    "team",
    *PROJECT_FIELDS[PROJECT_FIELDS.index("lead") + 1 :],
]
PROJECT_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 4}),
    "expected_effects": forms.Textarea(attrs={"rows": 3}),
    "evaluation": forms.Textarea(attrs={"rows": 4}),
}


class ProjectFieldsMixin:
    def _people_fields(self):
        if "lead" in self.fields:
            self.fields["lead"].queryset = people(Role.LEAD, Role.DIRECTOR)
        if "team" in self.fields:
            self.fields["team"].queryset = people(Role.LEAD, Role.DIRECTOR)
            self.fields["team"].widget = forms.CheckboxSelectMultiple(choices=self.fields["team"].choices)
            self.fields["team"].required = False
        for name, model in (("theme", Theme), ("district", District)):
            if name in self.fields:
                current = getattr(self.instance, f"{name}_id", None)
                self.fields[name].queryset = model.objects.filter(Q(is_active=True) | Q(pk=current))


class ProjectCreateForm(ProjectFieldsMixin, PortfolioModelForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        required=False,
        help_text=_("Laissez-le vide pour le prochain code libre de l'année de la lettre, ou saisissez-en un."),
    )

    class Meta:
        model = Project
        fields = [name for name in PROJECT_FORM_FIELDS if name != "evaluation"]  # nothing to evaluate yet
        widgets = PROJECT_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._people_fields()
        self.fields["total_cost"].required = False
        self.fields["city_contribution"].required = False

    # Amounts may be unknown when the letter arrives: they count as zero until entered.
    def clean_total_cost(self):
        return self.cleaned_data["total_cost"] or Decimal("0.00")

    def clean_city_contribution(self):
        return self.cleaned_data["city_contribution"] or Decimal("0.00")


# Edits -----------------------------------------------------------------------------------------


class ProjectEditForm(ProjectFieldsMixin, VersionedFormMixin, PortfolioModelForm):
    """The director also chooses the code, the lead and the confidentiality."""

    DIRECTOR_ONLY = ("code", "lead", "confidential")

    class Meta:
        model = Project
        fields = PROJECT_FORM_FIELDS
        widgets = PROJECT_WIDGETS
        help_texts = {"evaluation": _("Nécessaire pour passer le projet en phase « Évalué ».")}

    def __init__(self, *args, may_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_assign:
            for name in self.DIRECTOR_ONLY:
                del self.fields[name]
        self._people_fields()

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("team", "version")}


class LetterEditForm(VersionedFormMixin, PortfolioModelForm):
    signed_pdf = forms.FileField(
        label=_("Remplacer la lettre signée (PDF)"),
        required=False,
        help_text=_("Laissez vide pour garder le fichier actuel."),
    )

    class Meta:
        model = CommissionLetter
        fields = LETTER_EDITABLE
        widgets = {"expected_results": forms.Textarea(attrs={"rows": 3})}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in LETTER_EDITABLE}


class MilestoneForm(VersionedFormMixin, PortfolioModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "planned_date", "actual_date"]
        help_texts = {"actual_date": _("Renseignez-la quand le jalon est atteint.")}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NoteForm(VersionedFormMixin, PortfolioModelForm):
    class Meta:
        model = ProgressNote
        fields = ["date", "weather", "text"]
        widgets = {"weather": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"weather": _("Le point le plus récent donne sa météo au projet.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weather"].choices = Weather.choices  # a radio group needs no empty choice
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


SCALE = [(1, _("1 — faible")), (2, _("2 — moyen")), (3, _("3 — fort")), (4, _("4 — très fort"))]


class RiskForm(VersionedFormMixin, PortfolioModelForm):
    probability = forms.TypedChoiceField(label=_("Probabilité"), choices=SCALE, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=SCALE, coerce=int)

    class Meta:
        model = Risk
        fields = ["description", "probability", "impact", "mitigation", "owner", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "mitigation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people(Role.LEAD, Role.DIRECTOR)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG ou JPEG ; vérifié par son contenu."),
    )

    class Meta:
        model = Document
        fields = ["file", "kind", "title"]
        labels = {"title": _("Titre (facultatif)")}
        help_texts = {"title": _("Par défaut, le nom du fichier.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


# Phases ----------------------------------------------------------------------------------------


class TransitionForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Nouvelle phase"), widget=forms.RadioSelect)
    effective_date = forms.DateField(
        label=_("Date d'effet"),
        widget=DateInput,
        help_text=_("Aujourd'hui ou une date passée, pas avant le dernier changement de phase."),
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un abandon : indiquez-en le motif."),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = choices
        self.initial.setdefault("effective_date", timezone.localdate())


class AcceptForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Date d'effet"), widget=DateInput, help_text=_("La date proposée, ou celle de la décision.")
    )
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("La personne qui a proposé le lira."),
    )


# Reference data and analytics --------------------------------------------------------------------


class ReferenceForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=100)
    is_active = forms.BooleanField(
        label=_("Proposé pour les nouveaux projets"),
        required=False,
        initial=True,
        help_text=_("Décochez plutôt que supprimer : les projets existants le gardent."),
    )


class PhaseTargetsForm(forms.Form):
    """One field per phase that can run late (the open phases)."""

    def __init__(self, *args, targets: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for phase in OPEN_PHASES_ORDER:
            self.fields[phase] = forms.IntegerField(
                label=Phase(phase).label,
                required=False,
                min_value=1,
                max_value=3650,
                initial=targets.get(phase),
                help_text=_("En jours ; vide : pas de durée cible."),
            )


class CohortForm(forms.Form):
    """Two ranges of commission-letter dates to compare (the "before/after" question)."""

    a_du = forms.DateField(label=_("Cohorte A : lettres du"), widget=DateInput)
    a_au = forms.DateField(label=_("au"), widget=DateInput)
    b_du = forms.DateField(label=_("Cohorte B : lettres du"), widget=DateInput)
    b_au = forms.DateField(label=_("au"), widget=DateInput)

    def clean(self):
        data = super().clean()
        for key in ("a", "b"):
            start, end = data.get(f"{key}_du"), data.get(f"{key}_au")
            if start and end and start > end:
                self.add_error(f"{key}_au", _("La fin de la période précède son début."))
        return data

    def ranges(self) -> tuple[tuple[datetime.date, datetime.date], tuple[datetime.date, datetime.date]]:
        data = self.cleaned_data
        return (data["a_du"], data["a_au"]), (data["b_du"], data["b_au"])
