"""The phase machine and the lead-time maths, with dates computed by hand."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portfolio import workflow
from portfolio.choices import Phase
from portfolio.models import PhaseTransition
from portfolio.workflow import LeadTimes, median, percentile
from tests.portfolio.factories import CommissionLetterFactory, ProjectFactory

D = dt.date


@pytest.mark.django_db
def test_a_project_moves_forward_and_each_change_is_logged():
    project = ProjectFactory(commission_letter=CommissionLetterFactory(date=D(2024, 1, 15)))
    workflow.transition(project, to_phase=Phase.INSTRUCTION, effective_date=D(2024, 2, 1), by=project.lead)
    workflow.transition(project, to_phase=Phase.ARBITRAGE, effective_date=D(2024, 4, 1), by=project.lead)
    project.refresh_from_db()
    assert (project.phase, project.phase_since) == (Phase.ARBITRAGE, D(2024, 4, 1))
    log = list(project.transitions.values_list("from_phase", "to_phase", "effective_date"))
    assert log == [
        ("", "commande", D(2024, 1, 15)),
        ("commande", "instruction", D(2024, 2, 1)),
        ("instruction", "arbitrage", D(2024, 4, 1)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to_phase", "date", "field", "message"),
    [
        (Phase.LIVRE, D(2024, 3, 1), "to_phase", "Passage de « Lettre de commande » à « Livré » impossible"),
        (Phase.INSTRUCTION, D(2099, 1, 1), "effective_date", "ne peut pas être dans le futur"),
        (
            Phase.INSTRUCTION,
            D(2024, 1, 1),
            "effective_date",
            "ne peut pas précéder le dernier changement de phase (15/01/2024)",
        ),
        (Phase.ABANDONNE, D(2024, 3, 1), "comment", "Indiquez le motif de l'abandon."),
    ],
)
def test_refused_moves_say_why(to_phase, date, field, message):
    project = ProjectFactory(commission_letter=CommissionLetterFactory(date=D(2024, 1, 15)))
    with pytest.raises(ValidationError) as caught:
        workflow.transition(project, to_phase=to_phase, effective_date=date, by=project.lead)
    assert any(message in text for text in caught.value.message_dict[field])
    assert PhaseTransition.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_gates_need_a_cost_before_the_decision_and_an_evaluation_before_evalue():
    project = ProjectFactory(total_cost=0, phases={Phase.INSTRUCTION: D(2024, 2, 1), Phase.ARBITRAGE: D(2024, 3, 1)})
    with pytest.raises(ValidationError, match="le coût total du projet doit être renseigné"):
        workflow.transition(project, to_phase=Phase.REALISATION, effective_date=D(2024, 4, 1), by=project.lead)
    project.total_cost = 10
    project.save()
    workflow.transition(project, to_phase=Phase.REALISATION, effective_date=D(2024, 4, 1), by=project.lead)
    workflow.transition(project, to_phase=Phase.LIVRE, effective_date=D(2025, 4, 1), by=project.lead)
    with pytest.raises(ValidationError, match="l'évaluation ex post doit être rédigée"):
        workflow.transition(project, to_phase=Phase.EVALUE, effective_date=D(2025, 10, 1), by=project.lead)


@pytest.mark.django_db
def test_a_suspended_project_resumes_where_it_was_or_is_abandoned():
    project = ProjectFactory(phases={Phase.INSTRUCTION: D(2024, 2, 1), Phase.SUSPENDU: D(2024, 3, 1)})
    assert workflow.allowed_targets(project) == [Phase.INSTRUCTION, Phase.ABANDONNE]
    with pytest.raises(ValidationError):
        workflow.transition(project, to_phase=Phase.ARBITRAGE, effective_date=D(2024, 4, 1), by=project.lead)
    workflow.transition(project, to_phase=Phase.INSTRUCTION, effective_date=D(2024, 5, 1), by=project.lead)
    assert project.transitions.last().to_phase == Phase.INSTRUCTION


@pytest.mark.django_db
def test_lead_times_by_hand():
    project = ProjectFactory(
        commission_letter=CommissionLetterFactory(date=D(2024, 1, 10)),
        phases={Phase.INSTRUCTION: D(2024, 1, 20)},
        city_contribution=1_000_000,  # covers the cost: no funding line needed for the "go"
    )
    workflow.transition(project, to_phase=Phase.SUSPENDU, effective_date=D(2024, 2, 19), by=project.lead)
    workflow.transition(project, to_phase=Phase.INSTRUCTION, effective_date=D(2024, 3, 20), by=project.lead)
    workflow.transition(project, to_phase=Phase.ARBITRAGE, effective_date=D(2024, 4, 9), by=project.lead)
    workflow.transition(project, to_phase=Phase.REALISATION, effective_date=D(2024, 5, 9), by=project.lead)
    workflow.transition(project, to_phase=Phase.LIVRE, effective_date=D(2025, 5, 9), by=project.lead)
    times = LeadTimes.from_transitions(project.transitions.all(), as_of=D(2025, 6, 8))
    assert times.instruction_days == 120  # 10/01/2024 → 09/05/2024
    assert times.delivery_days == 365  # 09/05/2024 → 09/05/2025
    assert times.days_in_phase == {
        "commande": 10,
        "instruction": 30 + 20,
        "suspendu": 30,
        "arbitrage": 30,
        "realisation": 365,
        "livre": 30,
    }
    assert times.age_in_phase is None  # delivered: no longer an open file
    assert not times.is_late({"livre": 1})


def test_age_and_breach_of_an_open_file():
    rows = [
        PhaseTransition(pk=1, to_phase="commande", effective_date=D(2025, 1, 1)),
        PhaseTransition(pk=2, to_phase="instruction", effective_date=D(2025, 2, 1)),
    ]
    times = LeadTimes.from_transitions(rows, as_of=D(2025, 5, 2))
    assert times.age_in_phase == 90
    assert times.is_late({"instruction": 89}) and not times.is_late({"instruction": 90})
    # As of a date before the second change, the file was still in commande.
    assert LeadTimes.from_transitions(rows, as_of=D(2025, 1, 31)).current_phase == "commande"


def test_median_and_p90_follow_percentile_cont():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert median(values) == 55
    assert percentile(values, 0.9) == 91  # 90 + (100 - 90) * 0.1
    assert median([]) is None and percentile([7], 0.9) == 7
