"""A project lead, as a new user would, on the demo data in Chromium: finds their project,
adds a progress note that turns the weather stormy, moves a milestone, uploads a PDF and
proposes the "go"; the director validates it; the history shows each step. Screenshots of
each step go to var/test-artifacts/portfolio-*.png."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.choices import Phase, ProposalStatus
from portfolio.models import Document, Project, TransitionProposal

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def console_errors(page):
    """Errors the page reports (a CSP violation, a failed script) fail the journey."""
    errors = []
    page.on("console", lambda message: errors.append((page.url, message.text)) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    return errors


def test_a_lead_moves_a_project_forward_and_the_director_decides(
    demo, media, login, page, live_server, artifacts_dir, console_errors, tmp_path
):
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"portfolio-{name}.png"), full_page=True)  # noqa: E731
    project = (
        Project.objects.filter(
            lead__email="cheffe.projet@demo.innovaction.fr", phase=Phase.ARBITRAGE, confidential=False
        )
        .order_by("-phase_since")
        .first()
    )
    today = timezone.localdate()

    # 1. The lead signs in and finds their file among the projects.
    login("cheffe.projet@demo.innovaction.fr")
    shot("01-accueil-cheffe")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Projets").click()
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Seulement mes projets (chef·fe ou équipe)").check()
    page.get_by_label("Arbitrage", exact=True).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#results")).to_contain_text(project.code)
    shot("02-mes-projets-en-arbitrage")
    page.get_by_role("link", name=project.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.title)
    shot("03-page-projet")

    # 2. A progress note that turns the weather stormy.
    page.get_by_role("link", name=re.compile(r"^Points d'avancement")).click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Orage").check()
    page.get_by_label(re.compile(r"^Point d'avancement")).fill(
        "Appel d'offres infructueux : aucune offre recevable, relance en procédure adaptée."
    )
    page.get_by_role("button", name="Ajouter le point").click()
    expect(page.get_by_role("status")).to_contain_text("Point d'avancement ajouté")
    expect(page.locator("#project-badges")).to_contain_text("Orage")
    shot("04-point-orage")

    # 3. A milestone moved, in place.
    page.get_by_role("link", name=re.compile(r"^Jalons")).click()
    milestone = project.milestones.filter(actual_date__isnull=True).order_by("planned_date").first()
    page.get_by_role("link", name=f"Modifier {milestone.title}").click()
    editing = page.get_by_role("form", name=f"Modifier le jalon « {milestone.title} »")
    new_date = milestone.planned_date.replace(year=milestone.planned_date.year + 1)
    editing.get_by_label("Date prévue").fill(new_date.isoformat())
    shot("05-jalon-en-modification")
    editing.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Jalon enregistré.")
    expect(page.locator("#tab-content")).to_contain_text(new_date.strftime("%d/%m/%Y"))
    shot("06-jalon-deplace")

    # 4. A PDF uploaded.
    pdf = tmp_path / "Compte rendu du comité de pilotage.pdf"
    pdf.write_bytes(PDF)
    page.get_by_role("link", name=re.compile(r"^Documents")).click()
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_label("Type").select_option(label="Compte rendu")
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("status")).to_contain_text("Document déposé.")
    expect(page.locator("#tab-content")).to_contain_text("Compte rendu du comité de pilotage.pdf")
    shot("07-document-depose")

    # 5. The "go" proposed to the director.
    page.get_by_role("link", name="Changer de phase").click()
    page.get_by_label(re.compile("Mise en œuvre — décision de la direction")).check()
    page.get_by_label("Commentaire").fill("Financements notifiés, marché relancé : prêts à lancer la réalisation.")
    shot("08-proposition")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Proposition envoyée à la direction")
    expect(page.get_by_role("heading", name="Décision en attente")).to_be_visible()
    shot("09-proposition-envoyee")
    page.get_by_role("button", name="Se déconnecter").click()

    # 6. The director validates it from their home page.
    login("direction@demo.innovaction.fr")
    desk = page.locator("section", has=page.get_by_role("heading", name="Propositions à valider"))
    expect(desk).to_contain_text(project.code)
    shot("10-accueil-direction")
    desk.get_by_role("link", name=f"Décider {project.code}").click()
    shot("11-decision")
    page.get_by_role("button", name="Valider la décision").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Décision enregistrée : {project.code} passe en phase « Mise en œuvre »"
    )
    expect(page.locator("#project-badges")).to_contain_text("Mise en œuvre")
    shot("12-projet-en-mise-en-oeuvre")

    # 7. The history tells each step, with who did it.
    page.get_by_role("link", name="Historique").click()
    history = page.locator(".history")
    expect(history).to_contain_text("Nadia Benali — création : point d'avancement")
    expect(history).to_contain_text(f"Nadia Benali — modification : jalon « {milestone.title} »")
    expect(history).to_contain_text(new_date.strftime("%d/%m/%Y"))
    expect(history).to_contain_text("Nadia Benali — création : document « Compte rendu du comité de pilotage.pdf »")
    expect(history).to_contain_text("Nadia Benali — création : proposition de changement de phase")
    expect(history).to_contain_text("Claire Morel — modification : proposition de changement de phase")
    expect(history).to_contain_text("Claire Morel — création : changement de phase « Arbitrage → Mise en œuvre")
    shot("13-historique")

    project.refresh_from_db()
    assert (project.phase, project.weather) == (Phase.REALISATION, "orage")
    assert TransitionProposal.objects.get(project=project).status == ProposalStatus.ACCEPTED
    assert Document.objects.filter(project=project, original_name="Compte rendu du comité de pilotage.pdf").exists()
    assert console_errors == []
