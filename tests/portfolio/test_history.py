"""Every write adds exactly one history row for each record it changes, and the project's
"Historique" tab shows them: who, when, what, old → new."""

import datetime as dt
import html
from collections import Counter

import pytest
from django.urls import reverse

from innovaction.roles import Role
from portfolio.choices import DocumentKind, Phase
from portfolio.models import (
    CommissionLetter,
    District,
    Document,
    Milestone,
    PhaseTarget,
    PhaseTransition,
    ProgressNote,
    Project,
    Risk,
    Theme,
    TransitionProposal,
)
from portfolio.services import documents, followup, phases, projects, reference
from tests.portfolio.conftest import pdf_upload
from tests.portfolio.factories import ThemeFactory

pytestmark = pytest.mark.django_db
D = dt.date
TRACKED = [
    CommissionLetter,
    Project,
    PhaseTransition,
    TransitionProposal,
    Milestone,
    ProgressNote,
    Risk,
    Document,
    Theme,
    District,
    PhaseTarget,
]


def _rows() -> Counter:
    return Counter({model.__name__: model.history.count() for model in TRACKED})


def _added(write) -> dict:
    before = _rows()
    write()
    after = _rows()
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


@pytest.fixture
def world(lead, director, make_user, project):
    note = followup.progress_note_add(
        project=project, by=lead, data={"date": D(2025, 6, 3), "text": "Lancement", "weather": "soleil"}
    )
    return {
        "lead": lead,
        "director": director,
        "mate": make_user(Role.LEAD, first_name="Yanis"),
        "project": project,
        "milestone": followup.milestone_create(
            project=project, by=lead, data={"title": "Permis", "planned_date": D(2025, 9, 1)}
        ),
        "note": note,
        "risk": followup.risk_create(
            project=project, by=lead, data={"description": "Recours", "probability": 2, "impact": 3}
        ),
        "document": documents.document_add(project=project, by=lead, upload=pdf_upload(), kind=DocumentKind.AUTRE),
    }


WRITES = {
    "project_register": (
        lambda w: projects.project_register(
            by=w["director"],
            letter={"date": D(2025, 3, 3), "issuer": "maire", "object": "Tiers-lieu numérique"},
            project={"title": "Tiers-lieu numérique", "theme": ThemeFactory(name="Numérique"), "lead": w["lead"]},
            team=[w["mate"]],
            signed_pdf=pdf_upload(),
        ),
        {"CommissionLetter": 1, "Project": 1, "PhaseTransition": 1, "Theme": 1},  # the factory's theme is new
    ),
    "project_update_with_team": (
        lambda w: projects.project_update(
            project=w["project"],
            by=w["lead"],
            changes={"title": "Nouveau titre"},
            team=[w["mate"]],
            expected_version=None,
        ),
        {"Project": 1},
    ),
    "letter_update": (
        lambda w: projects.commission_letter_update(
            letter=w["project"].commission_letter,
            by=w["director"],
            changes={"issuer_name": "Mme la DGS"},
            signed_pdf=pdf_upload(),
            expected_version=None,
        ),
        {"CommissionLetter": 1},
    ),
    "transition": (
        lambda w: phases.project_transition(
            project=w["project"], to_phase=Phase.SUSPENDU, effective_date=D(2025, 7, 1), by=w["lead"]
        ),
        {"PhaseTransition": 1, "Project": 1},
    ),
    "proposal_submit": (
        lambda w: phases.proposal_submit(
            project=w["project"], to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=w["lead"]
        ),
        {"TransitionProposal": 1},
    ),
    "proposal_accept": (
        lambda w: phases.proposal_accept(
            proposal=phases.proposal_submit(
                project=w["project"], to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=w["lead"]
            ),
            by=w["director"],
        ),
        {"TransitionProposal": 2, "PhaseTransition": 1, "Project": 1},  # submitted, then decided
    ),
    "proposal_refuse": (
        lambda w: phases.proposal_refuse(
            proposal=phases.proposal_submit(
                project=w["project"], to_phase=Phase.REALISATION, effective_date=D(2025, 7, 1), by=w["lead"]
            ),
            by=w["director"],
            reason="Non",
        ),
        {"TransitionProposal": 2},
    ),
    "milestone_create": (
        lambda w: followup.milestone_create(
            project=w["project"], by=w["lead"], data={"title": "Réception", "planned_date": D(2026, 1, 5)}
        ),
        {"Milestone": 1},
    ),
    "milestone_update": (
        lambda w: followup.milestone_update(
            milestone=w["milestone"], by=w["lead"], changes={"planned_date": D(2025, 10, 1)}, expected_version=None
        ),
        {"Milestone": 1},
    ),
    "milestone_delete": (lambda w: followup.milestone_delete(milestone=w["milestone"], by=w["lead"]), {"Milestone": 1}),
    "note_add_changing_weather": (
        lambda w: followup.progress_note_add(
            project=w["project"], by=w["lead"], data={"date": D(2025, 6, 10), "text": "Retard", "weather": "orage"}
        ),
        {"ProgressNote": 1, "Project": 1},
    ),
    "note_update_text_only": (
        lambda w: followup.progress_note_update(
            note=w["note"], by=w["lead"], changes={"text": "Lancement officiel"}, expected_version=None
        ),
        {"ProgressNote": 1},  # the project's weather did not change: no project row
    ),
    "note_delete": (
        lambda w: followup.progress_note_delete(note=w["note"], by=w["lead"]),
        {"ProgressNote": 1, "Project": 1},
    ),
    "risk_create": (
        lambda w: followup.risk_create(
            project=w["project"], by=w["lead"], data={"description": "Pollution", "probability": 1, "impact": 4}
        ),
        {"Risk": 1},
    ),
    "risk_update": (
        lambda w: followup.risk_update(risk=w["risk"], by=w["lead"], changes={"status": "clos"}, expected_version=None),
        {"Risk": 1},
    ),
    "risk_delete": (lambda w: followup.risk_delete(risk=w["risk"], by=w["lead"]), {"Risk": 1}),
    "document_add": (
        lambda w: documents.document_add(
            project=w["project"], by=w["lead"], upload=pdf_upload("cr.pdf"), kind=DocumentKind.COMPTE_RENDU
        ),
        {"Document": 1},
    ),
    "document_delete": (lambda w: documents.document_delete(document=w["document"], by=w["lead"]), {"Document": 1}),
    "theme_save": (
        lambda w: reference.reference_save(instance=Theme(), by=w["director"], name="Tourisme", is_active=True),
        {"Theme": 1},
    ),
    "targets_update": (
        lambda w: reference.phase_targets_update(
            by=w["director"], targets={Phase.INSTRUCTION: 60, Phase.ARBITRAGE: 30}
        ),
        {"PhaseTarget": 2},
    ),
}


@pytest.mark.parametrize("name", WRITES)
def test_each_write_adds_one_history_row_per_changed_record(world, name):
    write, expected = WRITES[name]
    assert _added(lambda: write(world)) == expected


def test_the_history_tab_tells_who_changed_what_old_and_new(client_for, world):
    lead, project = world["lead"], world["project"]
    followup.milestone_update(
        milestone=world["milestone"], by=lead, changes={"planned_date": D(2025, 10, 1)}, expected_version=None
    )
    followup.progress_note_add(
        project=project, by=lead, data={"date": D(2025, 6, 10), "text": "Retard", "weather": "orage"}
    )
    response = client_for(world["director"]).get(reverse("portfolio:history", args=[project.pk]))
    text = html.unescape(response.text)
    assert f"<strong>{lead}</strong> — modification : jalon « Permis »" in text
    assert (
        '<span class="change-field">date prévue</span> : <del>01/09/2025</del>' in text
        and "<ins>01/10/2025</ins>" in text
    )
    assert "création : point d'avancement « 10/06/2025 — Orage »" in text
    assert "création : document « lettre.pdf »" in text
    assert "création : changement de phase « Instruction / analyse préalable → Arbitrage (02/06/2025) »" in text
