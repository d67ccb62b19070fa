import pytest

from scorecard import kpis
from scorecard.choices import Source
from tests.conftest import made_once, restored
from tests.scorecard.datasets import build_city
from tests.scorecard.factories import IndicatorFactory, PerspectiveFactory, TargetFactory

PERSPECTIVES = [
    ("finances", "Finances", 1),
    ("usagers", "Usagers & partenaires", 2),
    ("processus", "Processus internes", 3),
    ("apprentissage", "Apprentissage, innovation & qualité de vie au travail", 4),
]

# 2025 targets of the hand-built city's indicators (statuses in test_recompute.py).
TARGETS_2025 = {
    "FIN-LEVIER": "5",
    "FIN-COFI": "500000",
    "PROC-FILE-ACTIVE": "4",
    "PROC-DELAI-INSTRUCTION": "120",
    "PROC-ALERTE": "10",
    "USA-PARTENAIRES": "3",
}


def make_registry_indicators(targets=TARGETS_2025, year=2025):
    """One indicator per registry code, as the configuration pages would create them."""
    perspectives = {code: PerspectiveFactory(code=code, name=name, order=order) for code, name, order in PERSPECTIVES}
    made = {}
    for code, kpi in kpis.REGISTRY.items():
        made[code] = IndicatorFactory(
            code=code,
            name=str(kpi.name),
            definition=str(kpi.rule),
            perspective=perspectives[kpi.perspective],
            unit=kpi.unit,
            direction=kpi.direction,
            decimals=kpi.decimals,
            source=Source.COMPUTED,
        )
        if code in targets:
            TargetFactory(indicator=made[code], year=year, value=targets[code])
    return made


@pytest.fixture(scope="session")
def _city_once(django_db_setup, django_db_blocker):
    """The hand-built city, made once per process: the ~40 tests that start from it restore its
    snapshot instead of building it again (~0.3 s)."""
    return made_once(django_db_blocker, build_city)


@pytest.fixture
def city(db, _city_once):
    return restored(_city_once, build_city, fixture="city")


@pytest.fixture(autouse=True)
def _city_before_any_other_write(request):
    """Restoring the city replaces the whole database: a test that starts from it gets it before
    its other fixtures (users, indicators…) write theirs."""
    if "city" in request.fixturenames:
        request.getfixturevalue("city")


@pytest.fixture
def indicators(db):
    return make_registry_indicators()
