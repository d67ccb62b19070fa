import datetime
from decimal import Decimal

import factory

from portfolio import workflow
from portfolio.choices import Issuer, Phase, Weather
from portfolio.models import (
    CommissionLetter,
    District,
    Milestone,
    PhaseTransition,
    ProgressNote,
    Project,
    Risk,
    Theme,
)
from tests.innovaction.factories import UserFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Iterator(["Attractivité", "Urbanisme", "Commerce", "Innovation", "Culture"])


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Iterator(["Centre historique", "La Monnaie", "Les Balmes", "Saint-Nicolas"])


class CommissionLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionLetter

    date = datetime.date(2024, 1, 15)
    issuer = Issuer.MAIRE
    issuer_name = "Mme la Maire"
    object = factory.Sequence(lambda n: f"Étude et réalisation n° {n}")
    budget_envelope = Decimal("500000.00")
    created_by = factory.SubFactory(UserFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project opened by its commission letter (first transition logged).

    `phases={Phase.INSTRUCTION: date, …}` then moves it through the workflow, in order.
    """

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"P-2024-{n:03d}")
    title = factory.Sequence(lambda n: f"Projet {n}")
    commission_letter = factory.SubFactory(CommissionLetterFactory)
    theme = factory.SubFactory(ThemeFactory)
    lead = factory.SubFactory(UserFactory)
    total_cost = Decimal("1000000.00")
    city_contribution = Decimal("200000.00")
    phase_since = factory.SelfAttribute("commission_letter.date")

    @factory.post_generation
    def opened(self, create, extracted, **kwargs):
        if create:
            PhaseTransition.objects.create(
                project=self,
                from_phase="",
                to_phase=Phase.COMMANDE,
                effective_date=self.phase_since,
                created_by=self.lead,
            )

    @factory.post_generation
    def phases(self, create, extracted, **kwargs):
        if create and extracted:
            for phase, date in extracted.items():
                # A past history: edges and dates are checked, gates (about today) are not.
                workflow.transition(
                    self, to_phase=phase, effective_date=date, by=self.lead, comment="motif", enforce_gates=False
                )
            self.refresh_from_db()

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            self.team.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Jalon {n}")
    planned_date = datetime.date(2025, 6, 30)


class ProgressNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressNote

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2025, 3, 1)
    text = "Réunion de lancement tenue."
    weather = Weather.SOLEIL
    author = factory.SelfAttribute("project.lead")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    description = "Retard de livraison des matériaux"
    probability = 2
    impact = 3
