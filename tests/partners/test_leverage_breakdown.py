"""Leverage and totals per project, partner, type and portfolio, on a past date, computed by
hand; confidential projects left out for outsiders (SPEC §3.4, §4.3)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.choices import FundingStatus as S
from partners.choices import PartnerType
from partners.models import Instalment
from partners.selectors import leverage_of
from partners.selectors.directory import partner_funding
from partners.selectors.funding import funding_plan, partner_totals, portfolio_leverage, project_totals
from portfolio.choices import Phase
from portfolio.models import Project
from portfolio.selectors import not_abandoned_on
from tests.partners.factories import FundingLineFactory, PartnerFactory
from tests.portfolio.factories import ProjectFactory

D = dt.date
JUNE = D(2025, 6, 30)


@pytest.fixture
def books(lead, other_lead):
    a = ProjectFactory(lead=lead, total_cost=Decimal("1000000.00"), city_contribution=Decimal("100000.00"))
    b = ProjectFactory(lead=other_lead, city_contribution=Decimal("50000.00"))
    s = ProjectFactory(lead=other_lead, confidential=True, city_contribution=Decimal("40000.00"))
    x = ProjectFactory(lead=other_lead, city_contribution=Decimal("10000.00"), phases={Phase.ABANDONNE: D(2025, 3, 1)})
    region = PartnerFactory(name="Région", type=PartnerType.REGION)
    state = PartnerFactory(name="Préfecture", type=PartnerType.ETAT)
    foundation = PartnerFactory(name="Fondation", type=PartnerType.FONDATION)

    def line(project, partner, amount, status, **dates):
        return FundingLineFactory(project=project, partner=partner, amount=Decimal(amount), status=status, **dates)

    paid = line(
        a, state, "200000.20", S.VERSE, requested_on=D(2024, 12, 1), granted_on=D(2025, 2, 1), paid_on=D(2025, 7, 15)
    )
    Instalment.objects.create(funding_line=paid, date=D(2025, 7, 15), amount=Decimal("200000.20"))
    line(a, region, "300000.10", S.ACCORDE, requested_on=D(2024, 11, 1), granted_on=D(2025, 1, 10))
    line(a, foundation, "50000.00", S.SOLLICITE, requested_on=D(2025, 5, 1))
    line(b, region, "120000.00", S.ACCORDE, requested_on=D(2025, 4, 1), granted_on=D(2025, 8, 1))
    line(
        b,
        foundation,
        "30000.00",
        S.CADUC,
        requested_on=D(2025, 1, 1),
        granted_on=D(2025, 2, 1),
        closed_on=D(2025, 9, 1),
    )
    line(b, state, "10000.00", S.REFUSE, requested_on=D(2025, 3, 1), closed_on=D(2025, 5, 1))
    line(s, region, "400000.00", S.ACCORDE, requested_on=D(2025, 1, 1), granted_on=D(2025, 3, 1))
    line(x, region, "90000.00", S.ACCORDE, requested_on=D(2024, 6, 1), granted_on=D(2025, 1, 15))
    return {"a": a, "b": b, "s": s, "x": x, "region": region, "state": state, "foundation": foundation}


@pytest.mark.django_db
def test_portfolio_leverage_on_a_past_date_with_and_without_the_confidential_project(books, director, lead):
    everything = portfolio_leverage(director, as_of=JUNE)
    # A, B and S are not abandoned on 30/06 (X was, on 01/03): 100 000 + 50 000 + 40 000.
    assert everything.leverage.city_contribution == Decimal("190000.00")
    # Granted by 30/06 and granted or paid today: 300 000,10 + 200 000,20 + 400 000.
    assert everything.leverage.secured == Decimal("900000.30")
    assert everything.leverage.ratio == Decimal("4.74")  # 900 000,30 / 190 000 = 4,7368
    assert everything.project_count == 3
    # The scorecard's FIN-LEVIER reads the same figure.
    assert leverage_of(not_abandoned_on(Project.objects.all(), JUNE), as_of=JUNE) == everything.leverage

    outsider = portfolio_leverage(lead, as_of=JUNE)
    assert (outsider.leverage.city_contribution, outsider.leverage.secured) == (
        Decimal("150000.00"),
        Decimal("500000.30"),
    )
    assert outsider.leverage.ratio == Decimal("3.33")  # 500 000,30 / 150 000 = 3,3334


@pytest.mark.django_db
def test_breakdown_by_funder_type_and_status_on_that_date(books, director):
    portfolio = portfolio_leverage(director, as_of=JUNE)
    rows = {row.type: row for row in portfolio.types}
    region, state, foundation = rows["region"], rows["etat"], rows["fondation"]
    # Région: A 300 000,10 and S 400 000 granted; B's 120 000 only requested on 30/06.
    assert region.by_status == {"accorde": Decimal("700000.10"), "sollicite": Decimal("120000.00")}
    assert region.per_city_euro == Decimal("3.68")  # 700 000,10 / 190 000
    # État: the payment came on 15/07, so on 30/06 the line was granted, not paid; B refused.
    assert state.by_status == {"accorde": Decimal("200000.20"), "refuse": Decimal("10000.00")}
    assert state.paid == Decimal("0.00")
    # Fondation: a request, and a grant that later lapsed — never counted as secured.
    assert foundation.by_status == {"sollicite": Decimal("50000.00"), "caduc": Decimal("30000.00")}
    assert foundation.secured == Decimal("0.00")
    assert [row.type for row in portfolio.types] == ["region", "etat", "fondation"]
    assert portfolio.by_status["sollicite"] == Decimal("170000.00")
    assert portfolio.share(region.secured) == Decimal("77.8")  # 700 000,10 / 900 000,30


@pytest.mark.django_db
def test_totals_per_partner_and_per_project_on_that_date(books, director, lead):
    region = next(row for row in partner_totals(director, as_of=JUNE) if row["partner__name"] == "Région")
    assert (region["requested"], region["secured"], region["line_count"]) == (
        Decimal("120000.00"),
        Decimal("700000.10"),
        3,
    )
    region_for_lead = next(row for row in partner_totals(lead, as_of=JUNE) if row["partner__name"] == "Région")
    assert (region_for_lead["secured"], region_for_lead["line_count"]) == (Decimal("300000.10"), 2)

    projects = {p.code: p for p in project_totals(lead, as_of=JUNE)}
    a = projects[books["a"].code]
    assert (a.secured, a.requested, a.gap) == (Decimal("500000.30"), Decimal("50000.00"), Decimal("349999.70"))
    assert a.ratio.quantize(Decimal("0.01")) == Decimal("5.00")
    assert books["s"].code not in projects and books["x"].code not in projects


@pytest.mark.django_db
def test_a_projects_funding_plan_then_and_now(books):
    then = funding_plan(books["a"], as_of=JUNE)
    assert then.by_status == {"accorde": Decimal("500000.30"), "sollicite": Decimal("50000.00")}
    assert (then.planned, then.funded, then.gap) == (Decimal("550000.30"), Decimal("650000.30"), Decimal("349999.70"))
    assert then.leverage.ratio == Decimal("5.00") and then.paid == Decimal("0.00")
    now = funding_plan(books["a"], as_of=D(2025, 12, 31))
    assert now.by_status["verse"] == Decimal("200000.20") and now.paid == Decimal("200000.20")
    assert now.gap_share == Decimal("35.0")  # 349 999,70 of 1 000 000
    before_any = funding_plan(books["a"], as_of=D(2024, 10, 1))
    assert before_any.lines == [] and before_any.gap == Decimal("900000.00")


@pytest.mark.django_db
def test_a_partners_page_totals_and_share_of_the_leverage(books, lead, director):
    funding = partner_funding(books["region"], lead, today=D(2025, 12, 31))
    # The lead sees A (300 000,10), B (120 000, granted 01/08) and X (90 000, abandoned), not S.
    assert funding.secured == Decimal("510000.10")
    # In the portfolio (A, B: 150 000 of city money) the Région brings 420 000,10.
    assert funding.per_city_euro == Decimal("2.80")
    assert partner_funding(books["region"], director, today=D(2025, 12, 31)).secured == Decimal("910000.10")


@pytest.mark.django_db
def test_the_leverage_page_says_it_in_words_for_each_viewer(books, client_for, lead, director):
    url = reverse("partners:leverage") + "?date=2025-06-30"
    assert "<strong>3,33 €</strong> des partenaires" in client_for(lead).get(url).text
    page = client_for(director).get(url).text
    assert "<strong>4,74 €</strong> des partenaires" in page
    assert "900\u00a0000,30\u00a0€" in page  # secured, to the cent
    future = client_for(director).get(reverse("partners:leverage") + "?date=2999-01-01")
    assert "avenir n&#x27;est pas encore financé" in future.text
