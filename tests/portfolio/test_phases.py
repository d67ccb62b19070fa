"""Phase changes through the services and the pages: ungated moves made directly, gated ones
proposed by a lead and decided by the director, refusals said clearly."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portfolio.choices import Phase, ProposalStatus
from portfolio.models import PhaseTransition, Project, TransitionProposal
from portfolio.services import phases
from tests.portfolio.factories import CommissionLetterFactory, ProjectFactory

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_lead_moves_an_ungated_phase_directly(client_for, lead):
    project = ProjectFactory(lead=lead, commission_letter=CommissionLetterFactory(date=D(2025, 3, 3)))
    response = client_for(lead).post(
        reverse("portfolio:project_phase", args=[project.pk]),
        {"to_phase": Phase.INSTRUCTION, "effective_date": "2025-03-10", "comment": "Étude lancée"},
    )
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert (project.phase, project.phase_since) == (Phase.INSTRUCTION, D(2025, 3, 10))
    row = project.transitions.last()
    assert (row.from_phase, row.to_phase, row.created_by, row.comment) == (
        Phase.COMMANDE,
        Phase.INSTRUCTION,
        lead,
        "Étude lancée",
    )


def test_a_lead_cannot_make_a_decision_only_propose_it(lead, project):
    with pytest.raises(PermissionDenied):
        phases.project_transition(project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead)
    assert Project.objects.get(pk=project.pk).phase == Phase.ARBITRAGE


def test_go_decision_proposed_by_the_lead_and_validated_by_the_director_at_another_date(
    client_for, lead, director, project
):
    page = client_for(lead).get(reverse("portfolio:project_phase", args=[project.pk]))
    assert "Mise en œuvre — décision de la direction, à lui proposer" in page.text
    response = client_for(lead).post(
        reverse("portfolio:project_phase", args=[project.pk]),
        {"to_phase": Phase.REALISATION, "effective_date": "2025-07-01", "comment": "Plan de financement bouclé"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.ARBITRAGE  # nothing moves before the decision
    proposal = TransitionProposal.objects.get(project=project)
    assert (proposal.status, proposal.proposed_by, proposal.effective_date) == (
        ProposalStatus.PENDING,
        lead,
        D(2025, 7, 1),
    )

    summary = client_for(director).get(project.get_absolute_url())
    assert "Décision en attente" in summary.text and "Valider la décision" in summary.text
    response = client_for(director).post(
        reverse("portfolio:proposal_accept", args=[proposal.pk]),
        {"effective_date": "2025-07-03", "comment": "Conseil municipal du 3 juillet"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    proposal.refresh_from_db()
    assert (project.phase, project.phase_since) == (Phase.REALISATION, D(2025, 7, 3))
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, director)
    row = project.transitions.last()
    assert row.created_by == director
    assert row.comment == "Plan de financement bouclé\nConseil municipal du 3 juillet"


def test_the_director_refuses_with_a_reason_the_lead_then_reads(client_for, lead, director, project):
    proposal = phases.proposal_submit(
        project=project, to_phase=Phase.ABANDONNE, effective_date=D(2025, 7, 1), by=lead, comment="Hors budget"
    )
    empty = client_for(director).post(reverse("portfolio:proposal_refuse", args=[proposal.pk]), {"reason": ""})
    assert empty.status_code == 200 and "Ce champ est obligatoire." in empty.text
    client_for(director).post(
        reverse("portfolio:proposal_refuse", args=[proposal.pk]), {"reason": "On garde le projet, à revoir en 2026."}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert Project.objects.get(pk=project.pk).phase == Phase.ARBITRAGE
    page = client_for(lead).get(project.get_absolute_url())
    assert "Dernière proposition refusée" in page.text and "On garde le projet, à revoir en 2026." in page.text


def test_one_pending_proposal_per_project_and_a_lead_may_withdraw_it(client_for, lead, project):
    proposal = phases.proposal_submit(
        project=project, to_phase=Phase.ABANDONNE, effective_date=D(2025, 7, 1), by=lead, comment="Hors budget"
    )
    with pytest.raises(ValidationError, match="Une proposition attend déjà la décision de la direction"):
        phases.proposal_submit(project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead)
    client_for(lead).post(reverse("portfolio:proposal_withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    phases.proposal_submit(project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead)


def test_a_proposal_is_checked_like_the_move_itself(lead, project):
    project.total_cost = 0
    project.save()
    with pytest.raises(ValidationError) as caught:
        phases.proposal_submit(project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead)
    assert "le coût total du projet doit être renseigné avant la décision" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        phases.proposal_submit(project=project, to_phase=Phase.ABANDONNE, effective_date=D(2025, 7, 1), by=lead)
    assert caught.value.message_dict["comment"] == ["Indiquez le motif de l'abandon."]
    assert not TransitionProposal.objects.exists()


def test_a_decided_proposal_cannot_be_decided_twice(lead, director, project):
    proposal = phases.proposal_submit(
        project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead
    )
    phases.proposal_accept(proposal=proposal, by=director)
    with pytest.raises(ValidationError, match="Cette proposition a déjà été traitée"):
        phases.proposal_refuse(proposal=proposal, by=director, reason="Trop tard")
    assert PhaseTransition.objects.filter(project=project, to_phase=Phase.REALISATION).count() == 1


def test_a_direct_decision_settles_the_matching_proposal(lead, director, project):
    proposal = phases.proposal_submit(
        project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=lead
    )
    phases.project_transition(project=project, to_phase=Phase.REALISATION, effective_date=D(2025, 7, 2), by=director)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, director)


DELIVERED = {
    Phase.INSTRUCTION: D(2025, 1, 7),
    Phase.ARBITRAGE: D(2025, 1, 8),
    Phase.REALISATION: D(2025, 1, 9),
    Phase.LIVRE: D(2025, 1, 10),
}


@pytest.mark.parametrize(
    ("moves", "data", "message"),
    [
        ({}, {"to_phase": Phase.INSTRUCTION, "effective_date": "2099-01-01"}, "ne peut pas être dans le futur"),
        (
            {},
            {"to_phase": Phase.INSTRUCTION, "effective_date": "2025-01-01"},
            "ne peut pas précéder le dernier changement de phase (06/01/2025)",
        ),
        # A delivered file can no longer be suspended: the choice is not even offered.
        (DELIVERED, {"to_phase": Phase.SUSPENDU, "effective_date": "2025-02-01"}, "Sélectionnez un choix valide"),
    ],
)
def test_refused_moves_are_explained_on_the_form_and_the_input_kept(client_for, lead, moves, data, message):
    project = ProjectFactory(lead=lead, commission_letter=CommissionLetterFactory(date=D(2025, 1, 6)), phases=moves)
    response = client_for(lead).post(reverse("portfolio:project_phase", args=[project.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{data["effective_date"]}"' in response.text
