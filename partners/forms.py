"""Input validation of the partner pages; the rules themselves live in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innovaction.concurrency import VersionedFormMixin
from innovaction.formatting import format_decimal
from innovaction.models import Organisation, User
from innovaction.roles import Role
from partners.choices import FundingStatus, InteractionKind
from partners.models import Contact, FundingLine, Interaction, Partner
from partners.selectors.directory import matching
from partners.services.directory import PARTNER_FIELDS
from partners.validators import normalise_siret, parse_amount
from portfolio.models import Project

ISO_DATE = "%Y-%m-%d"


def date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(format=ISO_DATE, attrs={"type": "date", **attrs})


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the form's fields (or at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def model_field(model, name: str, **kwargs) -> forms.Field:
    """The form field of a model field: the same label, help text and validators."""
    return model._meta.get_field(name).formfield(**kwargs)


class AmountField(forms.CharField):
    """Euros typed "12 500,50" or "12500.50": a positive Decimal with cents, never a float."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_amount(value)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_decimal(value)


# Partner picker -----------------------------------------------------------------------------

LABELLED = re.compile(r"\(n°\s*(\d+)\)\s*$")


def partner_label(pk: int, name: str) -> str:
    """What the picker shows and sends back: the name and the partner's number."""
    return f"{name} (n° {pk})"


class PartnerLookupInput(forms.TextInput):
    """A text input; static/js/partners.js fills its <datalist> from the autocomplete."""

    template_name = "partners/widgets/partner_lookup.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-options"
        widget_attrs["data-autocomplete-url"] = reverse("partners:autocomplete")
        widget_attrs["autocomplete"] = "off"
        return context


class PartnerLookupField(forms.CharField):
    """A partner chosen by name, SIRET or the autocomplete's "Name (n° 12)" label."""

    widget = PartnerLookupInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Partenaire"))
        kwargs.setdefault(
            "help_text", gettext_lazy("Tapez le début du nom ou le SIRET, puis choisissez dans la liste.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Partner):
            return partner_label(value.pk, value.name)
        if isinstance(value, int):
            partner = Partner.objects.filter(pk=value).only("pk", "name").first()
            return partner_label(partner.pk, partner.name) if partner else ""
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        # The lookups below query the database: refuse a NUL byte first, as CharField would after.
        ProhibitNullCharactersValidator()(text)
        labelled = LABELLED.search(text)
        if labelled:
            partner = Partner.objects.filter(pk=int(labelled.group(1))).first()
            if partner is not None:
                return partner
            text = text[: labelled.start()].strip()
        digits = normalise_siret(text)
        if len(digits) == 14 and digits.isdigit():
            partner = Partner.objects.filter(siret=digits).first()
            if partner is not None:
                return partner
        exact = list(Partner.objects.filter(name__iexact=text)[:2])
        if len(exact) == 1:
            return exact[0]
        candidates = exact or list(matching(Partner.objects.all(), text).order_by("name", "pk")[:6])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ValidationError(
                _(
                    "Aucun partenaire ne correspond à « %(text)s ». Vérifiez l'orthographe, ou créez d'abord le partenaire."
                ),
                code="unknown",
                params={"text": text},
            )
        names = " ; ".join(partner_label(p.pk, p.name) for p in candidates[:5])
        raise ValidationError(
            _(
                "Plusieurs partenaires correspondent à « %(text)s » : %(names)s. Recopiez le nom complet avec son numéro."
            ),
            code="ambiguous",
            params={"text": text, "names": names},
        )


# Partners and contacts ------------------------------------------------------------------------


class PartnerForm(VersionedFormMixin, forms.Form):
    name = model_field(Partner, "name")
    type = model_field(Partner, "type")
    siret = forms.CharField(
        label=gettext_lazy("SIRET"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("14 chiffres, facultatif ; les espaces sont acceptés."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sector = model_field(Partner, "sector")
    website = model_field(Partner, "website", assume_scheme="https")
    address = model_field(Partner, "address", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Référent·e de la relation"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Personne —"),
    )
    network_joined_on = forms.DateField(required=False, widget=date_input())
    charter_signed = forms.BooleanField(required=False)
    network_left_on = forms.DateField(required=False, widget=date_input())
    notes = model_field(Partner, "notes", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, data=None, *args, instance: Partner | None = None, **kwargs):
        self.instance = instance
        if instance is not None and data is None:
            kwargs["initial"] = {field: getattr(instance, field) for field in PARTNER_FIELDS}
        super().__init__(data, *args, **kwargs)
        network = Organisation.current().network_name
        self.fields["owner"].queryset = User.objects.with_role(Role.DIRECTOR, Role.LEAD).order_by(
            "last_name", "first_name"
        )
        self.fields["network_joined_on"].label = _("Adhésion au réseau %(network)s") % {"network": network}
        self.fields["network_joined_on"].help_text = _("Laisser vide si le partenaire n'est pas membre.")
        self.fields["charter_signed"].label = _("Charte du réseau signée")
        self.fields["network_left_on"].label = _("Sortie du réseau")
        self.fields["name"].widget.attrs["autocomplete"] = "organization"

    def clean_siret(self):
        return normalise_siret(self.cleaned_data["siret"])


class ContactForm(forms.Form):
    name = model_field(Contact, "name")
    role = model_field(Contact, "role")
    email = model_field(Contact, "email")
    phone = model_field(Contact, "phone", widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))


class EraseContactForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je confirme l'effacement définitif de ce contact et de son historique."),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer l'effacement.")},
    )


# Interactions --------------------------------------------------------------------------------


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.title}"


class InteractionForm(forms.Form):
    """The quick form: a date (today), a kind, the partner(s), an optional project, a summary."""

    EXTRA_PARTNERS = 2

    date = forms.DateField(label=gettext_lazy("Date"), widget=date_input())
    kind = forms.ChoiceField(label=gettext_lazy("Nature"), choices=InteractionKind.choices)
    summary = model_field(Interaction, "summary", widget=forms.Textarea(attrs={"rows": 3}))
    project = ProjectChoiceField(
        label=gettext_lazy("Projet concerné"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=gettext_lazy("— Aucun projet en particulier —"),
    )

    def __init__(self, *args, projects=None, partner_count: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.initial.setdefault("date", timezone.localdate())
        count = max(partner_count, 1) + self.EXTRA_PARTNERS
        for index in range(count):
            self.fields[f"partner_{index}"] = PartnerLookupField(
                required=index == 0,
                label=_("Partenaire") if index == 0 else _("Autre partenaire (facultatif)"),
                help_text=None if index else _("Tapez le début du nom ou le SIRET, puis choisissez dans la liste."),
            )
        order = ["date", "kind", *[f"partner_{i}" for i in range(count)], "project", "summary"]
        self.order_fields(order)

    @property
    def partners(self) -> list:
        return [value for name, value in self.cleaned_data.items() if name.startswith("partner_") and value]


# Funding lines -------------------------------------------------------------------------------

DATE_HELP = {
    "requested_on": gettext_lazy("Obligatoire."),
    "granted_on": gettext_lazy("Pour une ligne accordée, versée ou caduque."),
    "paid_on": gettext_lazy("Pour une ligne déjà versée : un versement du montant total est enregistré."),
    "closed_on": gettext_lazy("Pour une ligne refusée ou caduque."),
}


class FundingLineForm(forms.Form):
    partner = PartnerLookupField()
    amount = AmountField(label=gettext_lazy("Montant (€)"), help_text=gettext_lazy("Par exemple 125 000 ou 12 500,50."))
    scheme = model_field(FundingLine, "scheme")
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"), choices=FundingStatus.choices, initial=FundingStatus.SOLLICITE
    )
    requested_on = forms.DateField(label=gettext_lazy("Date de la demande"), widget=date_input())
    granted_on = forms.DateField(label=gettext_lazy("Date de l'accord"), required=False, widget=date_input())
    paid_on = forms.DateField(label=gettext_lazy("Date du versement"), required=False, widget=date_input())
    closed_on = forms.DateField(
        label=gettext_lazy("Date du refus ou de la caducité"), required=False, widget=date_input()
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Date limite"),
        required=False,
        widget=date_input(),
        help_text=gettext_lazy("Pour commencer l'opération ou demander le paiement ; une alerte la précède."),
    )
    convention = forms.FileField(
        label=gettext_lazy("Convention (PDF, Word…)"), required=False, help_text=gettext_lazy("Facultatif.")
    )

    LATER = ("granted_on", "paid_on", "closed_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("requested_on", timezone.localdate())
        for name, help_text in DATE_HELP.items():
            self.fields[name].help_text = help_text

    # The dates of later statuses sit in a folded section: most lines start as a request.
    def main_fields(self) -> list:
        return [self[name] for name in self.fields if name not in self.LATER]

    def later_fields(self) -> list:
        return [self[name] for name in self.LATER]

    def later_open(self) -> bool:
        return any(self[name].errors or self[name].value() for name in self.LATER) or (
            self.is_bound and self.data.get("status", FundingStatus.SOLLICITE) != FundingStatus.SOLLICITE
        )


class FundingLineEditForm(VersionedFormMixin, forms.Form):
    """Corrections of a line; its status changes through the status actions only."""

    partner = PartnerLookupField()
    amount = AmountField(label=gettext_lazy("Montant (€)"))
    scheme = model_field(FundingLine, "scheme")
    requested_on = forms.DateField(label=gettext_lazy("Date de la demande"), widget=date_input())
    granted_on = forms.DateField(label=gettext_lazy("Date de l'accord"), widget=date_input())
    closed_on = forms.DateField(label=gettext_lazy("Date du refus ou de la caducité"), widget=date_input())
    expires_on = forms.DateField(label=gettext_lazy("Date limite"), required=False, widget=date_input())
    convention = forms.FileField(label=gettext_lazy("Nouvelle convention"), required=False)
    remove_convention = forms.BooleanField(label=gettext_lazy("Retirer la convention actuelle"), required=False)

    def __init__(self, *args, line: FundingLine, **kwargs):
        self.instance = line
        super().__init__(*args, **kwargs)
        for field in ("partner", "amount", "scheme", "requested_on", "granted_on", "closed_on", "expires_on"):
            self.initial.setdefault(field, getattr(line, field))
        if line.status not in (FundingStatus.ACCORDE, FundingStatus.VERSE, FundingStatus.CADUC):
            del self.fields["granted_on"]
        if line.status not in (FundingStatus.REFUSE, FundingStatus.CADUC):
            del self.fields["closed_on"]
        if not line.convention:
            del self.fields["remove_convention"]


class TransitionForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=date_input())

    def __init__(self, *args, line: FundingLine, to_status: str, **kwargs):
        self.instance = line
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        labels = {
            FundingStatus.ACCORDE: _("Date de l'accord (notification)"),
            FundingStatus.REFUSE: _("Date du refus"),
            FundingStatus.CADUC: _("Date de la caducité"),
        }
        self.fields["date"].label = labels[FundingStatus(to_status)]


class PaymentForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=gettext_lazy("Date du versement"), widget=date_input())
    amount = AmountField(label=gettext_lazy("Montant reçu (€)"))

    def __init__(self, *args, line: FundingLine, remaining, **kwargs):
        self.instance = line
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("amount", remaining)
        self.fields["amount"].help_text = _("Reste à percevoir : %(amount)s €.") % {"amount": format_decimal(remaining)}


class DateForm(forms.Form):
    """The "as of" date of the funding pages (today when empty)."""

    date = forms.DateField(label=gettext_lazy("À la date du"), required=False, widget=date_input())

    def clean_date(self):
        day = self.cleaned_data["date"] or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError(_("Choisissez une date passée ou aujourd'hui : l'avenir n'est pas encore financé."))
        return day

    def day(self):
        """The valid date, or today."""
        if self.is_valid():
            return self.cleaned_data["date"]
        return timezone.localdate()
