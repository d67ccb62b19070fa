import factory

from scorecard.choices import Direction, Source, Unit
from scorecard.models import Indicator, Objective, Perspective, Target


class PerspectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perspective
        django_get_or_create = ("code",)

    code = "finances"
    name = "Finances"
    order = 1


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    perspective = factory.SubFactory(PerspectiveFactory)
    code = factory.Sequence(lambda n: f"obj-{n}")
    name = factory.Sequence(lambda n: f"Objectif {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    definition = "Définition de l'indicateur."
    perspective = factory.SubFactory(PerspectiveFactory)
    unit = Unit.COUNT
    direction = Direction.UP
    source = Source.MANUAL


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = 10
