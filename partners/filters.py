"""The filters of the partner list and of the API's funding lines (django-filter), each one a
query-string key."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovaction.models import User
from partners.choices import FundingStatus, PartnerType
from partners.selectors import network_members_on
from partners.selectors.directory import NEVER, matching, sectors


class Membership:
    MEMBER = "membre"
    FORMER = "ancien"
    NEVER = "jamais"
    choices = [(MEMBER, _("Membre")), (FORMER, _("Ancien membre")), (NEVER, _("Jamais membre"))]


class Funding:
    SECURED = "securise"
    ANY = "ligne"
    NONE = "aucun"
    choices = [
        (SECURED, _("Financement accordé ou versé")),
        (ANY, _("Au moins une demande en cours ou un financement")),
        (NONE, _("Aucun financement")),
    ]


class LastInteraction:
    RECENT = "3mois"
    YEAR = "12mois"
    OLDER = "ancien"
    NONE = "jamais"
    choices = [
        (RECENT, _("Dans les 3 derniers mois")),
        (YEAR, _("Dans les 12 derniers mois")),
        (OLDER, _("Il y a plus d'un an")),
        (NONE, _("Jamais")),
    ]


class PartnerFilter(django_filters.FilterSet):
    """Filters over `partners_with_totals(user)`, whose annotations they use."""

    q = django_filters.CharFilter(label=_("Rechercher"), method="search")
    type = django_filters.ChoiceFilter(label=_("Type"), choices=PartnerType.choices, empty_label=_("Tous les types"))
    adhesion = django_filters.ChoiceFilter(
        label=_("Réseau"), choices=Membership.choices, method="membership", empty_label=_("Membres ou non")
    )
    secteur = django_filters.ChoiceFilter(
        label=_("Secteur"), field_name="sector", choices=[], empty_label=_("Tous les secteurs")
    )
    referent = django_filters.ModelChoiceFilter(
        label=_("Référent·e"), field_name="owner", queryset=User.objects.none(), empty_label=_("Tous")
    )
    financement = django_filters.ChoiceFilter(
        label=_("Financements"), choices=Funding.choices, method="funding", empty_label=_("Tous")
    )
    echange = django_filters.ChoiceFilter(
        label=_("Dernier échange"),
        choices=LastInteraction.choices,
        method="last_interaction",
        empty_label=_("Peu importe"),
    )

    def __init__(self, *args, network_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["secteur"].extra["choices"] = [(sector, sector) for sector in sectors()]
        self.filters["referent"].queryset = (
            User.objects.filter(owned_partners__isnull=False).distinct().order_by("last_name", "first_name")
        )
        if network_name:
            self.filters["adhesion"].label = network_name
        self.today = timezone.localdate()

    def search(self, queryset, name, value):
        return matching(queryset, value)

    def membership(self, queryset, name, value):
        if value == Membership.MEMBER:
            return queryset.filter(network_members_on(self.today))
        if value == Membership.FORMER:
            return queryset.filter(network_left_on__lte=self.today)
        return queryset.filter(network_joined_on__isnull=True)

    def funding(self, queryset, name, value):
        if value == Funding.SECURED:
            return queryset.filter(secured_total__gt=0)
        if value == Funding.ANY:
            return queryset.filter(planned_total__gt=0)
        return queryset.filter(planned_total=0)

    def last_interaction(self, queryset, name, value):
        if value == LastInteraction.NONE:
            return queryset.filter(last_interaction_sort=NEVER)
        if value == LastInteraction.OLDER:
            return queryset.filter(last_interaction_sort__gt=NEVER, last_interaction_sort__lt=self._ago(365))
        days = 91 if value == LastInteraction.RECENT else 365
        return queryset.filter(last_interaction_sort__gte=self._ago(days))

    def _ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField  # an id: no decimals


class FundingLineFilter(django_filters.FilterSet):
    """Filters over `visible_lines(user)` in the API. A bad value (a NUL byte, a partner id
    that is not a number) makes the set invalid instead of reaching the database."""

    projet = django_filters.CharFilter(label=_("Code du projet."), field_name="project__code")
    partenaire = IdFilter(label=_("Identifiant du partenaire."), field_name="partner_id")
    statut = django_filters.ChoiceFilter(label=_("Statut"), field_name="status", choices=FundingStatus.choices)
    type = django_filters.ChoiceFilter(
        label=_("Type de partenaire."), field_name="partner__type", choices=PartnerType.choices
    )
