"""The director's month-end, then the cabinet's review (SPEC §2 and §6), in Chromium against a
live server on PostgreSQL, with a real Celery worker on Redis and a real SMTP server.

The director recomputes last month from the dashboard and watches the job finish, previews
the accessible HTML version of the report, generates the PDF and opens it, adds a recipient,
then sends the report after its confirmation page: each recipient receives exactly one e-mail
with the PDF attached. The cabinet then reviews the month: the dashboard, an indicator's
drill-down, the late and stormy projects, and the archived report.
(The lead's day is tests/e2e/test_portfolio_journey.py and test_partners_journey.py; the
cabinet's leverage drill-down is in test_scorecard_journeys.py.)
Screenshots: var/test-artifacts/fin-de-mois-*.png and revue-cabinet-*.png, and the first page
of the PDF sent, fin-de-mois-pdf-1.png."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from scorecard.models import PeriodLock
from scorecard.periods import Period
from scorecard.reports.models import Recipient, Report

pytestmark = pytest.mark.e2e

DIRECTOR = "direction@demo.innovaction.fr"
CABINET = "cabinet@demo.innovaction.fr"


def _reload_until(page, locator, text: str, tries: int = 60) -> None:
    """Pages that report a background job say so; reload them as a person would."""
    for _ in range(tries):
        if text in locator.inner_text():
            return
        page.wait_for_timeout(500)
        page.reload()
    expect(locator).to_contain_text(text)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_director_closes_the_month_and_the_cabinet_reviews_it(
    demo, media, smtp_server, celery_worker, login, page, live_server, artifacts_dir
):
    month = Period.current().previous()
    label = month.label  # e.g. "octobre 2026"
    Recipient.objects.create(name="Marie Faure", email="elu@demo.innovaction.fr")
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"fin-de-mois-{name}.png"), full_page=True)  # noqa: E731
    nav = page.get_by_role("navigation", name="Navigation principale")

    # 1. Recompute last month from the dashboard; the job's progress shows until it is done.
    login(DIRECTOR)
    nav.get_by_role("link", name="Tableau de bord").click()
    page.get_by_label("Mois affiché").select_option(str(month))
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(rf"periode={month}"))
    page.locator("form.recompute-inline").get_by_role("button", name="Recalculer").click()
    status = page.locator(".recompute-status")
    expect(status.locator("progress")).to_be_attached()
    expect(status).to_contain_text("Recalcul terminé : 1 mois à jour.", timeout=30_000)
    expect(status.locator("progress")).to_have_attribute("value", "1")
    shot("1-recalcul-termine")

    # 2. The month has no report yet: preview its accessible version.
    nav.get_by_role("link", name="Rapports mensuels").click()
    page.locator("section", has=page.get_by_role("heading", name="Mois terminés sans rapport")).get_by_role(
        "link", name=label.capitalize()
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord mensuel — {label}")
    expect(page.locator(".page-head .lead")).to_contain_text("Aucun rapport n'a encore été généré pour ce mois.")
    page.get_by_role("link", name="Prévisualiser (version accessible)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord mensuel — {label}")
    for heading in ("Synthèse", "Portefeuille de projets", "Cofinancements", "Annexe : projets actifs"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    shot("2-apercu-accessible")
    page.go_back()

    # 3. Generate the PDF (a background job) and open it.
    page.get_by_role("button", name="Générer le PDF").click()
    expect(page.locator(".messages")).to_contain_text(f"Le rapport de {label} est en cours de génération.")
    _reload_until(page, page.locator(".page-head .lead"), "Brouillon : généré, pas encore envoyé.")
    pdf_link = page.get_by_role("link", name="Télécharger le PDF")
    draft = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert draft.headers["content-type"] == "application/pdf" and draft.body().startswith(b"%PDF")
    shot("3-brouillon-genere")

    # 4. A second recipient, added by the director.
    nav.get_by_role("link", name="Destinataires du rapport").click()
    page.get_by_role("link", name="Ajouter un destinataire").click()
    page.get_by_label("Nom").fill("Paul Girard")
    page.get_by_label("Adresse e-mail").fill("paul.girard@example.org")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Destinataire « Paul Girard » enregistré.")

    # 5. Send, after a confirmation page naming who will receive it.
    nav.get_by_role("link", name="Rapports mensuels").click()
    page.get_by_role("link", name=label.capitalize()).first.click()
    page.get_by_role("link", name="Envoyer le rapport…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Envoyer le rapport de {label} ?")
    expect(page.get_by_role("heading", level=2)).to_have_text("2 destinataires")
    expect(page.locator("main ul")).to_contain_text("Marie Faure <elu@demo.innovaction.fr>")
    expect(page.locator("main ul")).to_contain_text("Paul Girard <paul.girard@example.org>")
    assert smtp_server.messages == []  # nothing leaves before the confirmation
    shot("4-confirmation-envoi")
    page.get_by_role("button", name="Verrouiller le mois et envoyer").click()
    expect(page.locator(".messages")).to_contain_text(f"Envoi du rapport de {label} lancé")
    log = page.locator("section", has=page.get_by_role("heading", name="Journal des envois"))
    for _ in range(60):
        if log.locator("tbody tr").count() == 2 and log.inner_text().count("Envoyé") >= 2:
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(log.locator("tbody tr", has_text="Envoyé")).to_have_count(2)
    expect(page.locator(".page-head .lead")).to_contain_text("le mois est verrouillé")
    shot("5-journal-des-envois")

    # Each recipient got exactly one e-mail, with the PDF attached.
    received = sorted(address for message in smtp_server.messages for address in message["to"])
    assert received == ["elu@demo.innovaction.fr", "paul.girard@example.org"]
    report = Report.objects.get(period=month.start)
    assert report.sent_at is not None and PeriodLock.objects.filter(period=month.start).exists()
    for message in smtp_server.messages:
        email = message["message"]
        assert email["Subject"] == f"Tableau de bord mensuel — {label}"
        attachments = list(email.iter_attachments())
        assert [a.get_content_type() for a in attachments] == ["application/pdf"]
        assert attachments[0].get_filename() == report.filename
        pdf = attachments[0].get_content()
        assert pdf.startswith(b"%PDF") and len(pdf) == report.size
    sent_pdf = artifacts_dir / "fin-de-mois-rapport.pdf"
    sent_pdf.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", sent_pdf, artifacts_dir / "fin-de-mois-pdf"],
            check=True,
        )
    page.get_by_role("button", name="Se déconnecter").click()

    # 6. The cabinet's review: dashboard, an indicator, the projects to watch, the archive.
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"revue-cabinet-{name}.png"), full_page=True)  # noqa: E731
    login(CABINET)
    expect(page.get_by_role("heading", name="Tableau de bord prospectif")).to_be_visible()
    shot("1-tableau-de-bord")
    page.locator(".kpi-tile", has_text="File active").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("File active")
    expect(page.locator("#donnees").get_by_role("table")).to_be_visible()
    shot("2-indicateur-file-active")
    page.go_back()

    stormy = page.locator(".card", has=page.get_by_role("heading", name=re.compile("Projets sous l'orage")))
    late = page.locator(".card", has=page.get_by_role("heading", name=re.compile("Projets en retard")))
    expect(late.locator(".watch-list li").first).to_be_visible()
    late.scroll_into_view_if_needed()
    shot("3-projets-a-surveiller")
    first_stormy = stormy.locator(".watch-list a").first
    code = first_stormy.inner_text().split(" — ")[0]  # "P-2023-001 — Budget participatif"
    first_stormy.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.locator("#project-badges")).to_contain_text("Orage")
    shot("4-projet-sous-l-orage")

    nav.get_by_role("link", name="Rapports mensuels").click()
    row = page.locator("tbody tr", has_text=label.capitalize())
    expect(row).to_contain_text("Envoyé le")
    expect(row).to_contain_text("2 destinataires")
    expect(page.get_by_text("Mois terminés sans rapport")).to_have_count(0)  # the director's desk only
    shot("5-archives")
    row.get_by_role("link", name="version accessible").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord mensuel — {label}")
    shot("6-rapport-accessible")
