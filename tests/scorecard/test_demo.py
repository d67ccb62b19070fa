import pytest

from scorecard import demo, kpis
from scorecard.choices import Source
from scorecard.models import Indicator, Measurement, Objective, PeriodLock, Perspective, Target
from scorecard.periods import Period


@pytest.mark.django_db
def test_the_demo_scorecard_is_complete_and_seeding_again_changes_nothing(demo_data):

    assert list(Perspective.objects.values_list("code", flat=True)) == [
        "finances",
        "usagers",
        "processus",
        "apprentissage",
    ]
    assert Objective.objects.count() == 12
    assert Objective.effects.through.objects.count() >= 12
    computed = set(Indicator.objects.filter(source=Source.COMPUTED).values_list("code", flat=True))
    manual = set(Indicator.objects.filter(source=Source.MANUAL).values_list("code", flat=True))
    assert computed == set(kpis.REGISTRY)
    assert manual == {"APP-QVT", "APP-FORMES", "APP-IDEES", "USA-SATISFACTION"}
    assert not Indicator.objects.filter(owner__isnull=True).exists()
    assert not Indicator.objects.filter(objective__isnull=True).exists()

    current = Period.current()
    months = current.shift(-35).until(current)
    for code in kpis.REGISTRY:
        periods = set(
            Measurement.objects.filter(indicator__code=code, is_current=True).values_list("period", flat=True)
        )
        assert periods == {m.start for m in months}, code
    # The leverage's target is the DADI's 1 for 5, every year of the history.
    assert set(Target.objects.filter(indicator__code="FIN-LEVIER").values_list("value", flat=True)) == {5}
    # Manual values for 36 months, except those not yet entered this month.
    assert Measurement.objects.filter(indicator__code="APP-FORMES", is_current=True).count() == 36
    assert Measurement.objects.filter(indicator__code="APP-QVT", is_current=True).count() == 35
    # Reports went out up to two months ago; one correction came after.
    assert PeriodLock.objects.count() == 34
    assert Measurement.objects.filter(revision=2, indicator__code="APP-FORMES").count() == 1

    snapshot = sorted(Measurement.objects.values_list("pk", "value", "status", "revision", "is_current"))
    demo.seed()
    assert sorted(Measurement.objects.values_list("pk", "value", "status", "revision", "is_current")) == snapshot
