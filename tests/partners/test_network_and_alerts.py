"""The network page (server-rendered SVG, deterministic, nodes linking to their pages) and
the expiry alerts (window from the organisation's settings, soonest first)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from innovaction.charts.network import Link, Node, bipartite_network, order_columns
from innovaction.models import Organisation
from partners.choices import FundingStatus as S
from partners.choices import PartnerType
from partners.models import Instalment
from tests.partners.factories import FundingLineFactory, InteractionFactory, PartnerFactory
from tests.portfolio.factories import ProjectFactory

D = dt.date


def test_the_layout_keeps_linked_nodes_side_by_side_and_is_deterministic():
    left = [Node("a", "A", "/a", 10), Node("b", "B", "/b", 5)]
    right = [Node("x", "X", "/x"), Node("y", "Y", "/y")]
    links = [Link("a", "y", 10, title="A → Y"), Link("b", "x", 5), Link("b", "y", 0, dashed=True)]
    ordered_left, ordered_right = order_columns(left, right, links)
    assert [n.key for n in ordered_left] == ["a", "b"]
    assert [n.key for n in ordered_right] == ["y", "x"]  # Y moves up next to A: no crossing

    def draw() -> str:
        # Ids differ from one chart to the next on a page; the drawing itself must not.
        svg = bipartite_network(left, right, links, title="Réseau", description="d")
        return re.sub(r"chart-\d+", "chart-N", svg)

    svg = draw()
    assert svg == draw()
    assert 'href="/a"' in svg and 'href="/y"' in svg and "style=" not in svg
    assert svg.count("<path") == 3 and svg.count('stroke-dasharray="4 3"') == 1
    assert "<title>A → Y</title>" in svg and '<title id="chart-N-title">Réseau</title>' in svg
    assert 'role="group" aria-labelledby="chart-N-title chart-N-desc"' in svg  # links stay reachable


@pytest.mark.django_db
def test_the_network_page_draws_money_links_and_talks_for_what_the_user_may_see(client_for, lead, other_lead):
    project = ProjectFactory(lead=lead, code="P-2025-001")
    secret = ProjectFactory(lead=other_lead, confidential=True, code="P-2025-099")
    region = PartnerFactory(name="Région", type=PartnerType.REGION)
    bank = PartnerFactory(name="Banque Locale", type=PartnerType.BANQUE)
    FundingLineFactory(
        project=project, partner=region, amount=Decimal("300000"), status=S.ACCORDE, granted_on=D(2025, 1, 1)
    )
    FundingLineFactory(project=project, partner=region, amount=Decimal("50000"), status=S.SOLLICITE)
    FundingLineFactory(
        project=secret, partner=bank, amount=Decimal("900000"), status=S.ACCORDE, granted_on=D(2025, 1, 1)
    )
    FundingLineFactory(project=project, partner=bank, amount=Decimal("1000"), status=S.REFUSE, closed_on=D(2025, 1, 1))
    InteractionFactory(partners=[bank], project=project)

    response = client_for(lead).get(reverse("partners:network"))
    graph = response.context["graph"]
    links = {
        (link.partner["name"], link.project["code"]): (link.planned, link.secured, link.interactions)
        for link in graph.links
    }
    assert links == {
        ("Région", "P-2025-001"): (Decimal("350000.00"), Decimal("300000.00"), 0),
        ("Banque Locale", "P-2025-001"): (Decimal("0.00"), Decimal("0.00"), 1),  # talks, no money
    }
    page = response.text
    assert "P-2025-099" not in page and "900\u00a0000" not in page
    assert f'href="{reverse("partners:partner_detail", args=[region.pk])}"' in page
    assert f'href="{reverse("partners:project_funding", args=[project.pk])}"' in page
    assert 'role="group"' in page and "Le même réseau, en tableau" in page

    only_banks = client_for(lead).get(reverse("partners:network"), {"type": "banque"}).context["graph"]
    assert [p["name"] for p in only_banks.partners] == ["Banque Locale"]
    assert [p["name"] for p in graph.partners] == ["Région", "Banque Locale"]  # money first


@pytest.mark.django_db
def test_expiring_lines_within_the_configured_window_soonest_first(client_for, lead):
    project = ProjectFactory(lead=lead)
    region = PartnerFactory(name="Région")
    with time_machine.travel(dt.datetime(2025, 9, 15, 10, 0), tick=False):

        def line(expires, status=S.ACCORDE, **kwargs):
            dates = {"granted_on": D(2025, 1, 1)} if status != S.SOLLICITE else {}
            return FundingLineFactory(
                project=project,
                partner=region,
                status=status,
                expires_on=expires,
                scheme=f"L{expires:%m%d}",
                **dates,
                **kwargs,
            )

        line(D(2025, 10, 20))  # in 35 days
        line(D(2025, 9, 20), status=S.SOLLICITE)  # in 5 days
        line(D(2025, 9, 10))  # overdue by 5 days, still open
        line(D(2025, 12, 30))  # in 106 days: outside 60
        paid = line(D(2025, 9, 30), status=S.VERSE, paid_on=D(2025, 3, 1))  # fully paid: nothing to chase
        Instalment.objects.create(funding_line=paid, date=D(2025, 3, 1), amount=paid.amount)
        half = line(D(2025, 9, 25), status=S.VERSE, paid_on=D(2025, 3, 1))  # balance still to claim
        Instalment.objects.create(funding_line=half, date=D(2025, 3, 1), amount=Decimal("1000"))
        line(D(2025, 9, 18), status=S.CADUC, closed_on=D(2025, 6, 1))  # closed: no alert

        page = client_for(lead).get(reverse("partners:expiring"))
        assert [line.scheme for line in page.context["page"]] == ["L0910", "L0920", "L0925", "L1020"]
        assert "dépassée de 5 jours" in page.text and "dans 5 jours" in page.text

        organisation = Organisation.current()
        organisation.funding_alert_days = 120
        organisation.save()
        wider = client_for(lead).get(reverse("partners:expiring")).context["page"]
        assert [line.scheme for line in wider] == ["L0910", "L0920", "L0925", "L1020", "L1230"]
