"""The demo ecosystem tells the DADI's story: 200+ partners of every type, ~70 % members of
the network since 2014, a year of interactions, ≈5 € from partners for each city euro."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from innovaction.models import Organisation, User
from partners import demo
from partners.choices import FundingStatus, PartnerType
from partners.models import Contact, FundingLine, Interaction, Partner
from partners.selectors import leverage_of
from partners.selectors.funding import expiring_lines
from portfolio import workflow
from portfolio.choices import Phase
from portfolio.models import Project
from portfolio.selectors import not_abandoned_on


@pytest.mark.django_db
def test_the_demo_ecosystem(demo_data):
    director = User.objects.get(email="direction@demo.innovaction.fr")
    today = timezone.localdate()

    partners = Partner.objects.all()
    assert partners.count() >= 200
    assert set(partners.values_list("type", flat=True)) == set(PartnerType.values)
    members = partners.filter(network_joined_on__isnull=False)
    assert 0.6 <= members.count() / partners.count() <= 0.8
    assert members.order_by("network_joined_on").first().network_joined_on >= dt.date(2014, 1, 1)
    assert 3 <= partners.filter(network_left_on__isnull=False).count() <= 20
    assert "Région Auvergne-Rhône-Alpes" in partners.values_list("name", flat=True)
    assert Organisation.current().network_name == "InvestInRomans"
    assert Contact.objects.count() >= 150

    dates = Interaction.objects.values_list("date", flat=True)
    assert len(dates) >= 200 and min(dates) >= today - dt.timedelta(days=365) and max(dates) <= today

    leverage = leverage_of(not_abandoned_on(Project.objects.all(), today), as_of=today)
    assert Decimal("4.8") <= leverage.ratio <= Decimal("5.3")
    assert Decimal("13500000") <= leverage.secured <= Decimal("16500000")  # ≈15 M€ secured
    statuses = set(FundingLine.objects.values_list("status", flat=True))
    assert statuses == set(FundingStatus.values)
    assert 3 <= expiring_lines(director, today=today, days=60).count() <= 10

    # The lead's file in arbitrage may get its "go": its funding plan exists.
    staged = Project.objects.get(lead__email="cheffe.projet@demo.innovaction.fr", phase=Phase.ARBITRAGE)
    assert workflow.gate_problems(staged, Phase.REALISATION) == []

    counts = (Partner.objects.count(), FundingLine.objects.count(), Interaction.objects.count())
    demo.seed()
    assert (Partner.objects.count(), FundingLine.objects.count(), Interaction.objects.count()) == counts
