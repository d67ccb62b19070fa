import datetime as dt
from decimal import Decimal

import pytest

from partners.choices import FundingStatus
from partners.selectors import leverage_of
from portfolio.choices import Phase
from portfolio.models import Project
from portfolio.selectors import not_abandoned_on
from tests.partners.factories import FundingLineFactory
from tests.portfolio.factories import CommissionLetterFactory, ProjectFactory

D = dt.date


@pytest.mark.django_db
def test_leverage_as_of_a_date_by_hand():
    a = ProjectFactory(city_contribution=Decimal("100000.00"))
    b = ProjectFactory(city_contribution=Decimal("50000.00"))
    FundingLineFactory(project=a, amount=Decimal("300000.10"), status=FundingStatus.ACCORDE, granted_on=D(2025, 1, 10))
    FundingLineFactory(project=a, amount=Decimal("200000.20"), status=FundingStatus.VERSE, granted_on=D(2025, 3, 5))
    FundingLineFactory(project=b, amount=Decimal("99999.00"), status=FundingStatus.SOLLICITE)
    FundingLineFactory(project=b, amount=Decimal("70000.00"), status=FundingStatus.REFUSE)
    FundingLineFactory(project=b, amount=Decimal("250000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 2, 1))

    both = Project.objects.filter(pk__in=[a.pk, b.pk])
    end_of_february = leverage_of(both, as_of=D(2025, 2, 28))
    assert end_of_february.secured == Decimal("550000.10")
    assert end_of_february.city_contribution == Decimal("150000.00")
    assert end_of_february.ratio == Decimal("3.67")  # 550000.10 / 150000 = 3.6667
    assert leverage_of(both).secured == Decimal("750000.30")
    assert leverage_of(both).ratio == Decimal("5.00")


@pytest.mark.django_db
def test_abandoned_projects_leave_the_leverage_from_their_abandonment_on():
    kept = ProjectFactory(city_contribution=Decimal("100"))
    dropped = ProjectFactory(
        city_contribution=Decimal("100"),
        commission_letter=CommissionLetterFactory(date=D(2024, 1, 15)),
        phases={Phase.ABANDONNE: D(2025, 6, 1)},
    )
    FundingLineFactory(project=kept, amount=Decimal("500"), status=FundingStatus.ACCORDE, granted_on=D(2025, 1, 1))
    FundingLineFactory(project=dropped, amount=Decimal("400"), status=FundingStatus.ACCORDE, granted_on=D(2025, 1, 1))
    before = leverage_of(not_abandoned_on(Project.objects.all(), D(2025, 5, 31)), as_of=D(2025, 5, 31))
    after = leverage_of(not_abandoned_on(Project.objects.all(), D(2025, 6, 30)), as_of=D(2025, 6, 30))
    assert (before.secured, before.city_contribution, before.ratio) == (Decimal("900"), Decimal("200"), Decimal("4.50"))
    assert (after.secured, after.city_contribution, after.ratio) == (Decimal("500"), Decimal("100"), Decimal("5.00"))
    assert leverage_of(Project.objects.none()).ratio is None


@pytest.mark.django_db
def test_the_project_page_summary_shows_the_leverage_once_funds_are_secured(client_for, lead):
    project = ProjectFactory(lead=lead, city_contribution=Decimal("100000.00"))
    page = client_for(lead).get(project.get_absolute_url())
    assert "Effet de levier" not in page.text
    FundingLineFactory(
        project=project, amount=Decimal("505000.00"), status=FundingStatus.ACCORDE, granted_on=D(2025, 1, 1)
    )
    page = client_for(lead).get(project.get_absolute_url())
    assert "Effet de levier" in page.text
    assert "5,05 € de partenaires pour 1 € de la ville (505\u00a0000,00\u00a0€ sécurisés)" in page.text
