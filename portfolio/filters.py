"""The portfolio's filters: one FilterSet shared by the list, the board, the roadmap and the
exports, so each view shows exactly the same projects for the same URL."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from innovaction.models import User
from portfolio.choices import Phase, Weather
from portfolio.models import District, PhaseTransition, Project, Theme, search_key
from portfolio.selectors.projects import attention_q, has_late_milestones_q, late_q, stale_q

NO_NOTE = "aucune"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_search",
        help_text=_("Dans le code, l'intitulé et la description, sans tenir compte des accents."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    # distinct=False: a phase is a column of the project, no join can repeat a row; django-filter's
    # default DISTINCT made PostgreSQL compute every annotation of every matching project (and
    # sort on all of them) before keeping a page of 25 (bench/, issue 9).
    phase = django_filters.MultipleChoiceFilter(
        label=_("Phase"), choices=Phase.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    theme = django_filters.ModelChoiceFilter(label=_("Thème"), queryset=Theme.objects.all(), empty_label=_("Tous"))
    quartier = django_filters.ModelChoiceFilter(
        label=_("Quartier"), field_name="district", queryset=District.objects.all(), empty_label=_("Tous")
    )
    chef = django_filters.ModelChoiceFilter(
        label=_("Chef·fe de projet"), field_name="lead", queryset=User.objects.none(), empty_label=_("Tous")
    )
    meteo = django_filters.ChoiceFilter(
        label=_("Météo"),
        choices=[*Weather.choices, (NO_NOTE, _("Sans point d'avancement"))],
        method="filter_weather",
        empty_label=_("Toutes"),
    )
    en_retard = django_filters.BooleanFilter(
        label=_("En retard sur la durée cible de la phase"), method="filter_late", widget=forms.CheckboxInput
    )
    sans_nouvelles = django_filters.BooleanFilter(
        label=_("Sans nouvelles (pas de point d'avancement récent)"), method="filter_stale", widget=forms.CheckboxInput
    )
    jalons_en_retard = django_filters.BooleanFilter(
        label=_("Avec des jalons en retard"), method="filter_late_milestones", widget=forms.CheckboxInput
    )
    a_regarder = django_filters.BooleanFilter(
        label=_("À regarder : en retard, en orage, sans nouvelles ou avec des jalons dépassés"),
        method="filter_attention",
        widget=forms.CheckboxInput,
    )
    mes_projets = django_filters.BooleanFilter(
        label=_("Seulement mes projets (chef·fe ou équipe)"), method="filter_mine", widget=forms.CheckboxInput
    )
    confidentiel = django_filters.ChoiceFilter(
        label=_("Confidentialité"),
        choices=[("oui", _("Confidentiels")), ("non", _("Non confidentiels"))],
        method="filter_confidential",
        empty_label=_("Tous"),
    )
    cout_min = django_filters.NumberFilter(
        label=_("Coût total minimum (€)"), field_name="total_cost", lookup_expr="gte", min_value=0
    )
    cout_max = django_filters.NumberFilter(
        label=_("Coût total maximum (€)"), field_name="total_cost", lookup_expr="lte", min_value=0
    )
    commande_du = django_filters.DateFilter(
        label=_("Lettre de commande du"), field_name="commission_letter__date", lookup_expr="gte", widget=DATE_INPUT
    )
    commande_au = django_filters.DateFilter(
        label=_("Lettre de commande au"), field_name="commission_letter__date", lookup_expr="lte", widget=DATE_INPUT
    )
    decision_du = django_filters.DateFilter(label=_("Décision du"), method="filter_decision", widget=DATE_INPUT)
    decision_au = django_filters.DateFilter(label=_("Décision au"), method="filter_decision", widget=DATE_INPUT)

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, *args, user, limits, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.limits = limits
        # Only the leads of projects this user may see are offered.
        self.filters["chef"].queryset = User.objects.filter(
            pk__in=Project.objects.visible_to(user).values("lead_id")
        ).order_by("last_name", "first_name")

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            key = search_key(word)
            queryset = queryset.filter(
                Q(search__contains=key)
                | Q(code__icontains=word)
                | Q(title__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_weather(self, queryset, name, value):
        if value == NO_NOTE:
            return queryset.filter(weather="")
        return queryset.filter(weather=value)

    def filter_late(self, queryset, name, value):
        return queryset.filter(late_q(self.limits)) if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.filter(stale_q(self.limits)) if value else queryset

    def filter_late_milestones(self, queryset, name, value):
        return queryset.filter(has_late_milestones_q(self.limits.today)) if value else queryset

    def filter_attention(self, queryset, name, value):
        return queryset.filter(attention_q(self.limits)) if value else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        team = Project.team.through.objects.filter(project_id=OuterRef("pk"), user_id=self.user.pk)
        return queryset.filter(Q(lead_id=self.user.pk) | Q(Exists(team)))

    def filter_confidential(self, queryset, name, value):
        return queryset.filter(confidential=value == "oui")

    def filter_decision(self, queryset, name, value):
        # Both bounds apply to the same decision ("go") row, so they are handled together.
        if name == "decision_au" and self.form.cleaned_data.get("decision_du"):
            return queryset
        start = self.form.cleaned_data.get("decision_du")
        end = self.form.cleaned_data.get("decision_au")
        # The decision is the move into realisation; a resumption after a suspension is not.
        decisions = PhaseTransition.objects.filter(project=OuterRef("pk"), to_phase=Phase.REALISATION).exclude(
            from_phase=Phase.SUSPENDU
        )
        if start:
            decisions = decisions.filter(effective_date__gte=start)
        if end:
            decisions = decisions.filter(effective_date__lte=end)
        return queryset.filter(Exists(decisions))

    @property
    def active_count(self) -> int:
        """How many filters are set, for the "Filtres (3)" summary."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name, value in self.form.cleaned_data.items() if value not in (None, "", [], False))
