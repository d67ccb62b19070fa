import datetime as dt
from decimal import Decimal

import pytest

from tests.partners.factories import PartnerFactory
from tests.portfolio.factories import ProjectFactory


@pytest.fixture
def project(lead):
    """A project `lead` leads: they keep its funding plan."""
    return ProjectFactory(lead=lead, total_cost=Decimal("1000000.00"), city_contribution=Decimal("200000.00"))


@pytest.fixture
def secret_project(other_lead):
    """A confidential project: invisible to `lead`, `elected` and other outsiders."""
    return ProjectFactory(lead=other_lead, confidential=True, city_contribution=Decimal("100000.00"))


@pytest.fixture
def region():
    return PartnerFactory(name="Région Auvergne-Rhône-Alpes", siret="")


D = dt.date
