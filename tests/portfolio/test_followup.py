"""Follow-up: the latest progress note sets the project's weather; milestones and risks are
edited in place (htmx) or on their own page (without JavaScript)."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portfolio.choices import Weather
from portfolio.models import Milestone, Project, Risk
from portfolio.services import followup
from tests.portfolio.factories import MilestoneFactory, RiskFactory

pytestmark = pytest.mark.django_db
D = dt.date
HTMX = {"HX-Request": "true", "HX-Target": "tab-content"}


def _weather(project):
    project = Project.objects.get(pk=project.pk)
    return project.weather, project.last_note_on


def test_the_latest_note_sets_the_weather_through_add_edit_and_delete(lead, project):
    assert _weather(project) == ("", None)
    june = followup.progress_note_add(
        project=project, by=lead, data={"date": D(2025, 6, 3), "text": "Lancement", "weather": Weather.SOLEIL}
    )
    july = followup.progress_note_add(
        project=project, by=lead, data={"date": D(2025, 7, 1), "text": "Recours", "weather": Weather.ORAGE}
    )
    assert _weather(project) == (Weather.ORAGE, D(2025, 7, 1))
    # A note backdated before the latest one does not change the weather.
    followup.progress_note_add(
        project=project, by=lead, data={"date": D(2025, 5, 2), "text": "Rappel", "weather": Weather.NUAGE}
    )
    assert _weather(project) == (Weather.ORAGE, D(2025, 7, 1))
    followup.progress_note_update(note=july, by=lead, changes={"weather": Weather.NUAGE}, expected_version=None)
    assert _weather(project) == (Weather.NUAGE, D(2025, 7, 1))
    followup.progress_note_delete(note=july, by=lead)
    assert _weather(project) == (Weather.SOLEIL, D(2025, 6, 3))
    followup.progress_note_update(note=june, by=lead, changes={"date": D(2025, 4, 1)}, expected_version=None)
    assert _weather(project) == (Weather.NUAGE, D(2025, 5, 2))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            lambda: timezone.localdate() + dt.timedelta(days=1),
            "Un point d'avancement ne peut pas être daté dans le futur.",
        ),
        (lambda: D(2024, 12, 31), "Un point d'avancement ne peut pas précéder la lettre de commande (06/01/2025)."),
    ],
)
def test_a_note_date_must_be_possible(lead, project, day, message):
    with pytest.raises(ValidationError) as caught:
        followup.progress_note_add(
            project=project, by=lead, data={"date": day(), "text": "x", "weather": Weather.SOLEIL}
        )
    assert caught.value.message_dict["date"] == [message]


def test_a_stormy_note_added_with_htmx_swaps_the_tab_and_the_header_says_orage(client_for, lead, project):
    client = client_for(lead)
    response = client.post(
        reverse("portfolio:notes_add", args=[project.pk]),
        {"date": "2025-07-01", "weather": "orage", "text": "Appel d'offres infructueux"},
        headers=HTMX,
    )
    text = html.unescape(response.text)
    assert "<html" not in text and "Point d'avancement ajouté" in text
    assert "Appel d'offres infructueux" in text
    # The header's weather and the tabs' counts are swapped out of band, already up to date.
    badges = text[text.index('<p class="lead" id="project-badges" hx-swap-oob="true">') :]
    assert "Orage</span>" in badges[: badges.index("</p>")]
    assert 'id="project-tabs" aria-label="Rubriques du projet" hx-swap-oob="true"' in text
    assert _weather(project) == (Weather.ORAGE, D(2025, 7, 1))
    page = client.get(project.get_absolute_url())
    assert '<span class="badge badge--orage"><span aria-hidden="true">⚡ </span>Orage</span>' in page.text


def test_a_note_without_javascript_redirects_back_to_the_tab(client_for, lead, project):
    response = client_for(lead).post(
        reverse("portfolio:notes_add", args=[project.pk]), {"date": "2025-07-01", "weather": "nuage", "text": "Réunion"}
    )
    assert response.status_code == 302 and response.url == reverse("portfolio:notes", args=[project.pk])
    missing = client_for(lead).post(
        reverse("portfolio:notes_add", args=[project.pk]), {"date": "2025-07-01", "text": ""}
    )
    assert "Ce champ est obligatoire." in missing.text and missing.status_code == 200


def test_moving_a_milestone_in_place(client_for, lead, project):
    milestone = MilestoneFactory(project=project, title="Dépôt du permis", planned_date=D(2025, 9, 1))
    client = client_for(lead)
    url = reverse("portfolio:milestones_edit", args=[project.pk, milestone.pk])
    form = client.get(url, headers=HTMX)
    assert "<html" not in form.text and 'value="2025-09-01"' in form.text
    response = client.post(
        url,
        {"version": milestone.version, "title": "Dépôt du permis", "planned_date": "2025-11-15", "actual_date": ""},
        headers=HTMX,
    )
    assert "Jalon enregistré." in response.text and "15/11/2025" in response.text
    assert Milestone.objects.get(pk=milestone.pk).planned_date == D(2025, 11, 15)


def test_the_edit_page_works_without_javascript(client_for, lead, project):
    milestone = MilestoneFactory(project=project, planned_date=D(2025, 9, 1))
    response = client_for(lead).get(reverse("portfolio:milestones_edit", args=[project.pk, milestone.pk]))
    assert response.status_code == 200 and "<html" in response.text and 'class="edit-in-place"' in response.text


def test_a_milestone_cannot_be_reached_in_the_future(lead, project):
    with pytest.raises(ValidationError, match="La date réelle ne peut pas être dans le futur"):
        followup.milestone_create(
            project=project,
            by=lead,
            data={
                "title": "Réception",
                "planned_date": D(2025, 9, 1),
                "actual_date": timezone.localdate() + dt.timedelta(days=2),
            },
        )


def test_deleting_a_risk_asks_for_confirmation_first(client_for, lead, project):
    risk = RiskFactory(project=project, description="Recours contre le permis")
    client = client_for(lead)
    url = reverse("portfolio:risks_delete", args=[project.pk, risk.pk])
    confirm = client.get(url, headers=HTMX)
    assert "Supprimer le risque R1 ?" in confirm.text and Risk.objects.filter(pk=risk.pk).exists()
    client.post(url, headers=HTMX)
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_the_risk_matrix_places_open_risks_by_probability_and_impact(client_for, elected, project):
    RiskFactory(project=project, probability=4, impact=3, description="Dérive des coûts")
    RiskFactory(project=project, probability=4, impact=3, description="Infructuosité")
    RiskFactory(project=project, probability=1, impact=1, description="Météo", status="clos")
    text = client_for(elected).get(reverse("portfolio:risks", args=[project.pk])).text
    row = text[text.index("Probabilité 4") : text.index("Probabilité 3")]
    cells = row.split("<td")[1:]
    assert 'risk-cell--rouge"><span class="risk-count">2</span>' in "<td" + cells[2]  # impact 3, score 12
    assert "risk-count" not in text[text.index("Probabilité 1") : text.index("</tbody>", text.index("Probabilité 1"))]
    assert "Modifier" not in text  # a reader sees no edit button
