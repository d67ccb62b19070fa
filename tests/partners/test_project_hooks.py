"""What partners adds to the project: the funding-plan gate of the "go" decision and the
funding panel of the project page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from partners.choices import FundingStatus
from partners.project_hooks import funding_panel_context
from portfolio import workflow
from portfolio.choices import Phase
from portfolio.extensions import project_panels
from tests.partners.factories import FundingLineFactory
from tests.portfolio.factories import ProjectFactory

D = dt.date


def _in_arbitrage(**fields):
    return ProjectFactory(phases={Phase.INSTRUCTION: D(2024, 2, 1), Phase.ARBITRAGE: D(2024, 3, 1)}, **fields)


@pytest.mark.django_db
def test_the_go_decision_needs_a_funding_plan():
    project = _in_arbitrage(total_cost=Decimal("500000.00"), city_contribution=Decimal("100000.00"))
    FundingLineFactory(project=project, status=FundingStatus.REFUSE, closed_on=D(2024, 3, 10))
    with pytest.raises(ValidationError, match="un plan de financement est nécessaire"):
        workflow.transition(project, to_phase=Phase.REALISATION, effective_date=D(2024, 4, 1), by=project.lead)
    FundingLineFactory(project=project, status=FundingStatus.SOLLICITE)
    workflow.transition(project, to_phase=Phase.REALISATION, effective_date=D(2024, 4, 1), by=project.lead)
    assert project.transitions.last().to_phase == Phase.REALISATION


@pytest.mark.django_db
def test_a_project_the_city_pays_alone_needs_no_funding_line():
    project = _in_arbitrage(total_cost=Decimal("80000.00"), city_contribution=Decimal("80000.00"))
    assert workflow.gate_problems(project, Phase.REALISATION) == []


@pytest.mark.django_db
def test_the_funding_panel_is_registered_for_the_project_page():
    panel = next(panel for panel in project_panels() if panel.key == "financement")
    assert (str(panel.label), panel.template_name) == ("Financement", "partners/project_funding_panel.html")
    assert panel.context is funding_panel_context


@pytest.mark.django_db
def test_the_panel_context_and_its_template_for_an_editor_and_a_reader(lead, cabinet):
    project = ProjectFactory(lead=lead, total_cost=Decimal("1000000.00"), city_contribution=Decimal("100000.00"))
    FundingLineFactory(
        project=project, amount=Decimal("400000.00"), status=FundingStatus.ACCORDE, granted_on=D(2024, 6, 1)
    )
    FundingLineFactory(project=project, amount=Decimal("100000.00"), status=FundingStatus.SOLLICITE)
    FundingLineFactory(
        project=project, amount=Decimal("70000.00"), status=FundingStatus.REFUSE, closed_on=D(2024, 6, 1)
    )
    request = RequestFactory().get("/")
    request.user = lead
    context = funding_panel_context(request, project)
    plan = context["plan"]
    assert (plan.secured, plan.requested, plan.gap) == (
        Decimal("400000.00"),
        Decimal("100000.00"),
        Decimal("400000.00"),
    )
    assert plan.leverage.ratio == Decimal("4.00")
    assert context["can_edit_funding"] is True
    actions = {line.amount: [a["status"] for a in line.actions] for line in plan.lines}
    assert actions == {
        Decimal("400000.00"): ["verse", "caduc"],
        Decimal("100000.00"): ["accorde", "refuse"],
        Decimal("70000.00"): [],
    }
    html = render_to_string(panel_template(), context, request=request)
    assert "pour 1 € de la ville, 4,00 € des partenaires" in html
    assert "Ajouter une ligne de financement" in html and "Marquer accordé" in html
    assert "1 ligne refusée ou caduque (non comptée)" in html

    request.user = cabinet
    reader = funding_panel_context(request, project)
    assert reader["can_edit_funding"] is False and all(line.actions == [] for line in reader["plan"].lines)
    html = render_to_string(panel_template(), reader, request=request)
    assert "Ajouter une ligne de financement" not in html and "Marquer accordé" not in html


def panel_template() -> str:
    return next(panel for panel in project_panels() if panel.key == "financement").template_name
