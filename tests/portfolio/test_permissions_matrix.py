"""A member of a project's team, on every portfolio view (SPEC §2): they read and write the
project like its lead, on an open and on a confidential project alike, and get 403 on the
director's pages (registration, decisions, reference data, the commission letter).

The other people — the lead, a lead outside the team, the cabinet, the elected, the director,
the admin and the anonymous visitor — are checked, answer by answer, on every URL of the
project by the access matrix (`tests/assurance/test_access_matrix.py`).

Each request runs in a rolled-back transaction, so a delete does not hide the next check.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from innovaction.roles import Role
from portfolio import urls as portfolio_urls
from portfolio.choices import DocumentKind, Phase
from portfolio.extensions import _PANELS, ProjectPanel, register_project_panel
from portfolio.models import Document, TransitionProposal
from tests.portfolio.conftest import PDF, close_response
from tests.portfolio.factories import MilestoneFactory, ProgressNoteFactory, ProjectFactory, RiskFactory

READ, WRITE, LETTER, DIRECTOR, DECIDE, WITHDRAW = "read", "write", "letter", "director", "decide", "withdraw"

# (url name, methods, scope, rule). Scope: "site" (no object), "project", or the child kind.
VIEWS = [
    ("project_list", ["GET"], "site", READ),
    ("project_board", ["GET"], "site", READ),
    ("project_roadmap", ["GET"], "site", READ),
    ("project_export", ["GET"], "site", READ),
    ("lead_times", ["GET"], "site", READ),
    ("project_register", ["GET", "POST"], "site", DIRECTOR),
    ("code_suggestion", ["GET"], "site", DIRECTOR),
    ("proposal_list", ["GET"], "site", DIRECTOR),
    ("reference", ["GET"], "site", DIRECTOR),
    ("targets_update", ["POST"], "site", DIRECTOR),
    ("reference_add", ["POST"], "reference", DIRECTOR),
    ("reference_edit", ["GET", "POST"], "reference_item", DIRECTOR),
    ("project_detail", ["GET"], "project", READ),
    ("history", ["GET"], "project", READ),
    ("project_panel", ["GET"], "panel", READ),
    ("milestones", ["GET"], "project", READ),
    ("notes", ["GET"], "project", READ),
    ("risks", ["GET"], "project", READ),
    ("documents", ["GET"], "project", READ),
    ("document_download", ["GET"], "document", READ),
    ("letter_pdf", ["GET"], "project", READ),
    ("project_edit", ["GET", "POST"], "project", WRITE),
    ("project_phase", ["GET", "POST"], "project", WRITE),
    ("milestones_add", ["POST"], "project", WRITE),
    ("milestones_edit", ["GET", "POST"], "milestone", WRITE),
    ("milestones_delete", ["GET", "POST"], "milestone", WRITE),
    ("notes_add", ["POST"], "project", WRITE),
    ("notes_edit", ["GET", "POST"], "note", WRITE),
    ("notes_delete", ["GET", "POST"], "note", WRITE),
    ("risks_add", ["POST"], "project", WRITE),
    ("risks_edit", ["GET", "POST"], "risk", WRITE),
    ("risks_delete", ["GET", "POST"], "risk", WRITE),
    ("document_upload", ["POST"], "project", WRITE),
    ("document_remove", ["GET", "POST"], "document", WRITE),
    ("letter_edit", ["GET", "POST"], "project", LETTER),
    ("proposal_accept", ["GET", "POST"], "proposal", DECIDE),
    ("proposal_refuse", ["GET", "POST"], "proposal", DECIDE),
    ("proposal_withdraw", ["POST"], "proposal", WITHDRAW),
]

TEAM_MAY = {READ, WRITE, WITHDRAW}


def test_the_matrix_covers_every_portfolio_view():
    names = {pattern.name for pattern in portfolio_urls.urlpatterns}
    assert names == {name for name, *_ in VIEWS}


@pytest.fixture
def people(make_user, lead):
    return {"lead": lead, "team": make_user(Role.LEAD, first_name="Équipière")}


@pytest.fixture
def world(people):
    """An open and a confidential project of the lead, each with one record of every kind and
    a pending proposal; a panel registered as another app would."""
    register_project_panel(
        ProjectPanel(
            key="essai",
            label="Essai",
            template_name="portfolio/_phase.html",
            context=lambda request, project: {"phase": project.phase, "label": project.get_phase_display()},
        )
    )
    objects = {}
    for name, confidential in (("open", False), ("secret", True)):
        project = ProjectFactory(lead=people["lead"], team=[people["team"]], confidential=confidential)
        document = Document(
            project=project,
            kind=DocumentKind.AUTRE,
            title="Plan",
            original_name="plan.pdf",
            mime_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=people["lead"],
        )
        document.file.save("plan.pdf", ContentFile(PDF), save=False)
        document.save()
        project.commission_letter.signed_pdf.save("lettre.pdf", ContentFile(PDF), save=True)
        objects[name] = {
            "project": project,
            "milestone": MilestoneFactory(project=project),
            "note": ProgressNoteFactory(project=project),
            "risk": RiskFactory(project=project),
            "document": document,
            "proposal": TransitionProposal.objects.create(
                project=project,
                to_phase=Phase.ABANDONNE,
                effective_date=project.phase_since,
                comment="Hors budget",
                proposed_by=people["lead"],
            ),
        }
    yield objects
    _PANELS.pop("essai", None)


def _url(name: str, scope: str, objects: dict) -> str:
    project = objects["project"]
    if scope == "site":
        return reverse(f"portfolio:{name}", kwargs={"fmt": "csv"} if name == "project_export" else None)
    if scope == "reference":
        return reverse(f"portfolio:{name}", args=["themes"])
    if scope == "reference_item":
        return reverse(f"portfolio:{name}", args=["themes", project.theme_id])
    if scope == "project":
        return reverse(f"portfolio:{name}", args=[project.pk])
    if scope == "panel":
        return reverse(f"portfolio:{name}", args=[project.pk, "essai"])
    if scope == "proposal":
        return reverse(f"portfolio:{name}", args=[objects["proposal"].pk])
    return reverse(f"portfolio:{name}", args=[project.pk, objects[scope].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("confidential", [False, True], ids=["projet-ouvert", "projet-confidentiel"])
def test_a_team_member_reads_and_writes_like_the_lead_but_not_as_the_director(client_for, people, world, confidential):
    client = client_for(people["team"])
    objects = world["secret" if confidential else "open"]
    failures = []
    for name, methods, scope, rule in VIEWS:
        if confidential and scope in ("site", "reference", "reference_item"):
            continue  # not about one project: checked once, with the open project
        url = _url(name, scope, objects)
        expected = {200, 302} if rule in TEAM_MAY else {403}
        for method in methods:
            with transaction.atomic():
                response = client.get(url) if method == "GET" else client.post(url, {})
                close_response(response)
                transaction.set_rollback(True)
            if response.status_code not in expected:
                failures.append((name, method, response.status_code, sorted(expected)))
    assert failures == []


@pytest.mark.django_db
def test_an_account_without_role_sees_no_portfolio_page(client_for, make_user, project):
    client = client_for(make_user())
    assert client.get(reverse("portfolio:project_list")).status_code == 403
    assert client.get(reverse("portfolio:lead_times")).status_code == 403
    assert client.get(reverse("portfolio:project_detail", args=[project.pk])).status_code == 404
