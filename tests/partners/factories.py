import datetime
from decimal import Decimal

import factory

from partners.choices import FundingStatus, InteractionKind, PartnerType
from partners.models import Contact, FundingLine, Interaction, Partner
from tests.innovaction.factories import UserFactory
from tests.portfolio.factories import ProjectFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    type = PartnerType.REGION

    class Params:
        member = factory.Trait(network_joined_on=datetime.date(2015, 3, 1), charter_signed=True)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name", locale="fr_FR")
    role = "Chargé·e de mission"
    email = factory.Sequence(lambda n: f"contact{n}@partenaire.test")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    date = datetime.date(2025, 5, 12)
    kind = InteractionKind.REUNION
    author = factory.SubFactory(UserFactory)
    summary = "Point d'étape sur le cofinancement."

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            self.partners.set(extracted or [PartnerFactory()])


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingLine

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)
    amount = Decimal("100000.00")
    status = FundingStatus.SOLLICITE
    scheme = "DSIL"
    requested_on = datetime.date(2024, 3, 1)

    class Params:
        granted = factory.Trait(status=FundingStatus.ACCORDE, granted_on=datetime.date(2024, 9, 1))
