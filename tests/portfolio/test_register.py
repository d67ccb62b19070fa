"""The director registers a commission letter and opens its project; the lead is told by
e-mail (a Celery task carrying ids, queued once the registration commits)."""

import datetime as dt
import html
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from innovaction.roles import Role
from portfolio.choices import Phase
from portfolio.models import CommissionLetter, PhaseTransition, Project
from portfolio.selectors.projects import next_free_code
from tests.portfolio.conftest import EXE, pdf_upload
from tests.portfolio.factories import ProjectFactory, ThemeFactory


def _form(theme, lead, **overrides):
    data = {
        "lettre-date": "2025-03-03",
        "lettre-issuer": "maire",
        "lettre-issuer_name": "Mme la Maire",
        "lettre-object": "Créer un tiers-lieu numérique au centre ancien",
        "lettre-expected_results": "Ouverture au public sous 18 mois",
        "lettre-deadline": "2026-09-30",
        "lettre-budget_envelope": "450000.00",
        "lettre-signed_pdf": pdf_upload("Lettre signée.pdf"),
        "projet-code": "",
        "projet-title": "Tiers-lieu numérique",
        "projet-theme": theme.pk,
        "projet-lead": lead.pk,
        "projet-total_cost": "420000.00",
        "projet-city_contribution": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_registration_opens_the_project_with_the_next_free_code_and_tells_the_lead(
    client_for, director, lead, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://innovaction.ville.test"
    ProjectFactory(code="P-2025-001")
    ProjectFactory(code="P-2025-007")
    theme = ThemeFactory(name="Numérique")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(director).post(reverse("portfolio:project_register"), _form(theme, lead))
    project = Project.objects.get(title="Tiers-lieu numérique")
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.code == "P-2025-008"  # the letter's year, one more than the highest
    assert (project.phase, project.phase_since, project.lead) == (Phase.COMMANDE, dt.date(2025, 3, 3), lead)
    assert project.city_contribution == 0
    letter = project.commission_letter
    assert (letter.created_by, letter.signed_pdf_name) == (director, "Lettre signée.pdf")
    assert letter.signed_pdf.name.startswith("lettres/") and "signée" not in letter.signed_pdf.name
    assert list(project.transitions.values_list("from_phase", "to_phase", "effective_date")) == [
        ("", Phase.COMMANDE, dt.date(2025, 3, 3))
    ]

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [lead.email]
    assert mail.subject == "Nouveau projet à piloter : P-2025-008 — Tiers-lieu numérique"
    assert f"https://innovaction.ville.test/projets/{project.pk}/" in mail.body
    assert "Créer un tiers-lieu numérique au centre ancien" in mail.body
    html_part, mime = mail.alternatives[0]
    assert mime == "text/html" and f'href="https://innovaction.ville.test/projets/{project.pk}/"' in html_part


@pytest.mark.django_db
def test_the_code_proposed_follows_the_letter_year_and_stays_editable(client_for, director, lead):
    year = timezone.localdate().year
    ProjectFactory(code=f"P-{year}-013")
    page = html.unescape(client_for(director).get(reverse("portfolio:project_register")).text)
    assert f'placeholder="P-{year}-014"' in page
    assert f"Laissé vide, le code sera P-{year}-014, le prochain code libre de {year}." in page
    hint = client_for(director).get(reverse("portfolio:code_suggestion"), {"lettre-date": "2019-05-02"})
    assert html.unescape(hint.text) == "Laissé vide, le code sera P-2019-001, le prochain code libre de 2019."
    theme = ThemeFactory()
    response = client_for(director).post(
        reverse("portfolio:project_register"), _form(theme, lead, **{"projet-code": "CDV-2025-A"})
    )
    assert response.status_code == 302
    assert Project.objects.filter(code="CDV-2025-A").exists()
    assert next_free_code(2025) == "P-2025-001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"lettre-signed_pdf": pdf_upload("lettre.pdf", EXE)},
            "Ce type de fichier n'est pas accepté (contenu vérifié)",
        ),
        ({"projet-code": "P-2024-900"}, "Un objet Projet avec ce champ Code existe déjà."),
        ({"lettre-date": "2099-01-01"}, "La lettre de commande ne peut pas être datée dans le futur."),
        ({"projet-city_contribution": "500000.00"}, "La part ville ne peut pas dépasser le coût total du projet."),
    ],
)
def test_a_refused_registration_says_why_keeps_the_input_and_writes_nothing(
    client_for, director, lead, overrides, message, mailoutbox, django_capture_on_commit_callbacks, settings
):
    ProjectFactory(code="P-2024-900")
    before = (Project.objects.count(), CommissionLetter.objects.count(), PhaseTransition.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(director).post(
            reverse("portfolio:project_register"), _form(ThemeFactory(), lead, **overrides)
        )
    text = html.unescape(response.text)
    assert response.status_code == 200 and message in text
    assert 'value="Tiers-lieu numérique"' in text and "Créer un tiers-lieu numérique au centre ancien" in text
    assert (Project.objects.count(), CommissionLetter.objects.count(), PhaseTransition.objects.count()) == before
    assert mailoutbox == []
    assert [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] == []  # the PDF was not kept


@pytest.mark.django_db
def test_a_new_lead_is_told_when_the_director_hands_the_project_over(
    client_for, director, project, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    successor = make_user(Role.LEAD, first_name="Inès", email="ines@ville.test")
    url = reverse("portfolio:project_edit", args=[project.pk])
    form = client_for(director).get(url)
    assert form.status_code == 200
    data = {
        "version": project.version,
        "code": project.code,
        "title": project.title,
        "theme": project.theme_id,
        "lead": successor.pk,
        "total_cost": "1000000.00",
        "city_contribution": "200000.00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(director).post(url, data).status_code == 302
    assert [mail.to for mail in mailoutbox] == [["ines@ville.test"]]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_lead_mail_goes_through_the_worker_and_smtp(client_for, make_user, celery_worker, smtp_server):
    director = make_user(Role.DIRECTOR)
    lead = make_user(Role.LEAD, first_name="Nadia", email="nadia@ville.test")
    response = client_for(director).post(reverse("portfolio:project_register"), _form(ThemeFactory(), lead))
    assert response.status_code == 302
    deadline = time.monotonic() + 15
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m["to"] for m in smtp_server.messages] == [["nadia@ville.test"]]
    message = smtp_server.messages[0]["message"]
    assert "Bonjour Nadia" in message.get_body(preferencelist=("plain",)).get_content()
    assert message.get_body(preferencelist=("html",)) is not None
