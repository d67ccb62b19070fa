"""A lead, as a new user would: adds a partner (a wrong SIRET is explained), logs a meeting,
adds a funding line to their project and marks it granted; the plan and the leverage follow."""

import re

import pytest
from playwright.sync_api import expect

from partners.models import FundingLine, Interaction, Partner
from portfolio.models import Project

pytestmark = pytest.mark.e2e

LEAD = "cheffe.projet@demo.innovaction.fr"


def test_a_lead_adds_a_partner_logs_a_meeting_and_funds_their_project(demo, login, page, live_server, artifacts_dir):
    project = Project.objects.get(lead__email=LEAD, phase="arbitrage")
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"partners-{name}.png"), full_page=True)  # noqa: E731
    login(LEAD)

    # 1. A new partner; the wrong SIRET is refused in plain French, the input kept.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Partenaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partenaires")
    page.get_by_role("link", name="Ajouter un partenaire").click()
    page.get_by_label("Nom").fill("Atelier Numérique Péageois")
    page.get_by_label("Type").select_option(label="Entreprise")
    page.get_by_label("SIRET").fill("732 829 320 00075")
    page.get_by_label("Secteur").fill("Numérique")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire n'a pas été enregistré")
    expect(page.locator(".field--error")).to_contain_text("Ce SIRET n'existe pas : sa clé de contrôle est fausse.")
    expect(page.get_by_label("Nom")).to_have_value("Atelier Numérique Péageois")
    shot("1-siret-refuse")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Numérique Péageois")
    expect(page.get_by_role("status")).to_contain_text("Partenaire « Atelier Numérique Péageois » enregistré.")
    partner = Partner.objects.get(name="Atelier Numérique Péageois")
    assert partner.siret == "73282932000074"

    # 2. A meeting, from the partner page: date already today, three fields to fill.
    quick = page.locator("form.quick-form")
    quick.get_by_label("Nature").select_option(label="Réunion")
    quick.get_by_label("Projet concerné").select_option(label=f"{project.code} — {project.title}")
    quick.get_by_label("Résumé").fill("Rencontre avec la dirigeante : mécénat possible pour la plateforme.")
    quick.get_by_role("button", name="Enregistrer l'échange").click()
    expect(page.locator(".interactions")).to_contain_text("mécénat possible pour la plateforme")
    shot("2-echange-note")
    assert Interaction.objects.filter(partners=partner, project=project, kind="reunion").count() == 1

    # 3. Their project's funding plan, reached from the funding page.
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Financements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financements et effet de levier")
    page.get_by_role("link", name=re.compile(re.escape(project.code))).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.code)
    leverage_before = page.locator(".tile--leverage .tile-value").inner_text()
    shot("3-plan-avant")

    # 4. A new line: the picker suggests the partner as the lead types.
    page.get_by_role("link", name="Ajouter une ligne de financement").first.click()
    picker = page.get_by_label("Partenaire")
    picker.press_sequentially("Atelier Num", delay=40)
    option = page.locator("datalist option").first
    expect(option).to_have_attribute("value", f"Atelier Numérique Péageois (n° {partner.pk})")
    picker.fill(option.get_attribute("value"))
    page.get_by_label("Montant (€)").fill("45 000")
    page.get_by_label("Dispositif").fill("Mécénat")
    shot("4-nouvelle-ligne")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Ligne de financement ajoutée au plan.")
    row = page.locator("table.funding-lines tbody tr", has_text="Atelier Numérique Péageois")
    expect(row).to_contain_text("45 000,00 €")
    expect(row).to_contain_text("Sollicité")

    # 5. Granted: the plan and the leverage follow.
    row.get_by_role("link", name="Marquer accordé").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marquer accordé")
    page.get_by_role("button", name="Marquer accordé").click()
    row = page.locator("table.funding-lines tbody tr", has_text="Atelier Numérique Péageois")
    expect(row).to_contain_text("Accordé")
    line = FundingLine.objects.get(partner=partner)
    assert (line.status, line.amount) == ("accorde", 45000)
    secured = sum(
        FundingLine.objects.filter(project=project, status__in=["accorde", "verse"]).values_list("amount", flat=True)
    )
    ratio = f"{secured / project.city_contribution:.2f}".replace(".", ",")
    expect(page.locator(".tile--leverage .tile-value")).to_have_text(ratio)
    assert ratio != leverage_before
    expect(page.locator(".funding-tiles")).to_contain_text(f"pour 1 € de la ville, {ratio} € des partenaires")
    shot("5-plan-apres")
