"""Reference data kept by the director, the project page's extension points, the home pages'
portfolio blocks and the navigation."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.choices import Phase, Weather
from portfolio.extensions import (
    _FACTS,
    _PANELS,
    ProjectFact,
    ProjectPanel,
    register_project_fact,
    register_project_panel,
)
from portfolio.models import PhaseTarget, Theme
from portfolio.services.followup import progress_note_add
from portfolio.services.phases import proposal_submit
from tests.portfolio.factories import CommissionLetterFactory, MilestoneFactory, ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _select(page: str, name: str) -> str:
    start = page.index(f'<select name="{name}"')
    return page[start : page.index("</select>", start)]


def test_the_director_keeps_themes_and_retires_one_without_losing_it(client_for, director, project):
    client = client_for(director)
    assert (
        client.post(
            reverse("portfolio:reference_add", args=["themes"]), {"themes-name": " Tourisme ", "themes-is_active": "on"}
        ).status_code
        == 302
    )
    duplicate = client.post(
        reverse("portfolio:reference_add", args=["themes"]), {"themes-name": "Tourisme", "themes-is_active": "on"}
    )
    assert "Un objet Thème avec ce champ Nom existe déjà." in html.unescape(duplicate.text)
    theme = project.theme
    prefix = f"themes-{theme.pk}"
    client.post(reverse("portfolio:reference_edit", args=["themes", theme.pk]), {f"{prefix}-name": theme.name})
    theme.refresh_from_db()
    assert theme.is_active is False
    # Retired: no longer offered for a new project, still shown on the projects that have it.
    register = _select(client.get(reverse("portfolio:project_register")).text, "projet-theme")
    assert f'<option value="{theme.pk}"' not in register and "Tourisme" in register
    edit = _select(client.get(reverse("portfolio:project_edit", args=[project.pk])).text, "theme")
    assert f'<option value="{theme.pk}" selected>' in edit
    assert Theme.objects.filter(name="Tourisme", is_active=True).exists()


def test_target_durations_decide_who_is_late_from_now_on(client_for, director, lead, targets):
    today = timezone.localdate()
    ProjectFactory(
        code="P-LATE",
        lead=lead,
        commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=70)),
        phases={Phase.INSTRUCTION: today - dt.timedelta(days=60)},
    )
    late = reverse("portfolio:project_list") + "?en_retard=on"
    client = client_for(director)
    assert "P-LATE" not in client.get(late).text  # 60 days, target 90
    client.post(
        reverse("portfolio:targets_update"),
        {"commande": "30", "instruction": "45", "arbitrage": "", "realisation": "540", "suspendu": ""},
    )
    assert dict(PhaseTarget.objects.values_list("phase", "target_days")) == {
        "commande": 30,
        "instruction": 45,
        "realisation": 540,
    }
    assert "P-LATE" in client.get(late).text
    refused = client.post(reverse("portfolio:targets_update"), {"commande": "0"})
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in html.unescape(refused.text)


def test_a_registered_panel_is_a_tab_of_its_own_and_a_fact_joins_the_summary(
    client_for, elected, project, settings, tmp_path
):
    folder = tmp_path / "templates"
    (folder / "essai").mkdir(parents=True)
    (folder / "essai" / "financement.html").write_text("<p>Plan de financement de {{ code }} : {{ balance }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
    panels_before, facts_before = dict(_PANELS), dict(_FACTS)
    register_project_panel(
        ProjectPanel(
            key="financement",
            label="Financement",
            template_name="essai/financement.html",
            context=lambda request, p: {"code": p.code, "balance": "équilibré"},
            order=10,
        )
    )
    register_project_fact(ProjectFact(key="levier", label="Effet de levier", value=lambda request, p: "1 € → 5,00 €"))
    register_project_fact(ProjectFact(key="vide", label="Jamais affiché", value=lambda request, p: None))
    # The test replaces the partners app's own "financement" panel and "levier" fact: put the
    # registries back as they were afterwards, or later tests would run without them.
    try:
        client = client_for(elected)
        summary = html.unescape(client.get(project.get_absolute_url()).text)
        tab_url = reverse("portfolio:project_panel", args=[project.pk, "financement"])
        assert f'<a href="{tab_url}">Financement</a>' in summary
        assert "<dt>Effet de levier</dt><dd>1 € → 5,00 €</dd>" in summary and "Jamais affiché" not in summary
        panel = html.unescape(client.get(tab_url).text)
        assert f"<p>Plan de financement de {project.code} : équilibré</p>" in panel
        assert f'<a href="{tab_url}" aria-current="page">Financement</a>' in panel
        assert client.get(reverse("portfolio:project_panel", args=[project.pk, "inconnu"])).status_code == 404
    finally:
        _PANELS.clear()
        _PANELS.update(panels_before)
        _FACTS.clear()
        _FACTS.update(facts_before)


def test_the_lead_home_shows_projects_needing_attention_and_next_milestones(client_for, lead, other_lead, targets):
    today = timezone.localdate()
    stormy = ProjectFactory(
        code="P-ORAGE", lead=lead, commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=10))
    )
    progress_note_add(project=stormy, by=lead, data={"date": today, "text": "Recours", "weather": Weather.ORAGE})
    calm = ProjectFactory(
        code="P-CALME", lead=lead, commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=10))
    )
    progress_note_add(project=calm, by=lead, data={"date": today, "text": "RAS", "weather": Weather.SOLEIL})
    MilestoneFactory(project=calm, title="Comité de pilotage", planned_date=today + dt.timedelta(days=12))
    ProjectFactory(
        code="P-SILENCE", lead=lead, commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=40))
    )
    ProjectFactory(
        code="P-AUTRUI", lead=other_lead, commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=90))
    )
    text = html.unescape(client_for(lead).get(reverse("home")).text)
    attention = text[text.index("Mes projets à regarder") : text.index("Mes prochains jalons")]
    assert "P-ORAGE" in attention and "P-SILENCE" in attention  # stormy; 40 days without news
    assert "P-CALME" not in attention and "P-AUTRUI" not in attention
    upcoming = text[text.index("Mes prochains jalons") :]
    assert "Comité de pilotage" in upcoming and "P-CALME" in upcoming


def test_the_director_home_shows_decisions_late_files_and_recent_moves(client_for, director, lead, project, targets):
    proposal_submit(project=project, to_phase=Phase.REALISATION, effective_date=dt.date(2025, 7, 1), by=lead)
    ThemeFactory()
    text = html.unescape(client_for(director).get(reverse("home")).text)
    decisions = text[text.index("Propositions à valider") : text.index("Dossiers en retard</h2>")]
    assert project.code in decisions and "→ <strong>Mise en œuvre</strong>" in decisions
    assert reverse("portfolio:proposal_accept", args=[project.proposals.get().pk]) in decisions
    late = text[text.index("Dossiers en retard</h2>") : text.index("Changements de phase récents")]
    assert project.code in late  # in arbitrage since 02/06/2025, target 45 days


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("director", ["Projets", "Délais", "Décisions à prendre", "Nouveau projet", "Référentiels"]),
        ("lead", ["Projets", "Délais"]),
        ("cabinet", ["Projets", "Délais"]),
        ("elected", ["Projets", "Délais"]),
    ],
)
def test_navigation_per_role(client_for, request, role, expected):
    text = html.unescape(client_for(request.getfixturevalue(role)).get(reverse("portfolio:project_list")).text)
    nav = text[text.index('aria-label="Navigation principale"') : text.index("</nav>")]
    for label in ["Projets", "Délais", "Décisions à prendre", "Nouveau projet", "Référentiels"]:
        assert (f">{label}</a>" in nav) == (label in expected), label
