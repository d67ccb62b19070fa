"""The portfolio list, board, roadmap and exports: filters and search saved in the URL, sort,
pagination, exactly the filtered rows exported, confidential projects absent for outsiders."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portfolio.choices import Phase, Weather
from portfolio.services.followup import progress_note_add
from tests.portfolio.factories import (
    CommissionLetterFactory,
    DistrictFactory,
    MilestoneFactory,
    ProjectFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
SPEC_HEADERS = (
    "code;titre;theme;quartier;chef_de_projet;date_commande;date_instruction;date_arbitrage;date_decision;"
    "date_livraison;date_evaluation;statut;date_statut;cout_total;part_ville;confidentiel"
)


def _codes(response) -> list[str]:
    """Project codes in the order the list shows them."""
    return re.findall(r'<td class="nowrap"><a href="/projets/\d+/">([^<]+)</a></td>', response.text)


@pytest.fixture
def catalogue(lead, other_lead, targets):
    culture, urbanisme = ThemeFactory(name="Culture"), ThemeFactory(name="Urbanisme")
    centre = DistrictFactory(name="Centre ancien")
    today = dt.date.today()
    schools = ProjectFactory(
        code="P-2020-001",
        title="Rénovation énergétique des écoles",
        description="Isolation et chaufferie bois",
        theme=urbanisme,
        district=centre,
        lead=lead,
        total_cost=Decimal("6900000.00"),
        city_contribution=Decimal("120000.50"),
        commission_letter=CommissionLetterFactory(date=D(2020, 1, 15)),
        phases={
            Phase.INSTRUCTION: D(2020, 2, 1),
            Phase.ARBITRAGE: D(2020, 5, 4),
            Phase.REALISATION: D(2020, 6, 2),
            Phase.LIVRE: D(2022, 9, 30),
        },
    )
    museum = ProjectFactory(
        code="P-2024-003",
        title="Musée de la chaussure",
        theme=culture,
        lead=other_lead,
        total_cost=Decimal("4200000.00"),
        commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=200)),
        phases={Phase.INSTRUCTION: today - dt.timedelta(days=190)},  # 190 days in instruction: late (90)
    )
    progress_note_add(
        project=museum,
        by=other_lead,
        data={"date": today - dt.timedelta(days=3), "text": "Appel d'offres infructueux", "weather": Weather.ORAGE},
    )
    MilestoneFactory(project=museum, planned_date=today - dt.timedelta(days=10))  # late milestone
    festival = ProjectFactory(
        code="P-2025-010",
        title="Festival des savoir-faire",
        theme=culture,
        lead=other_lead,
        team=[lead],
        total_cost=Decimal("260000.00"),
        commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=45)),
    )  # no note for 45 days: without news
    secret = ProjectFactory(
        code="P-2025-011",
        title="Acquisition discrète de la friche",
        theme=urbanisme,
        lead=lead,
        confidential=True,
        total_cost=Decimal("900000.00"),
        commission_letter=CommissionLetterFactory(date=today - dt.timedelta(days=20)),
    )
    return {"schools": schools, "museum": museum, "festival": festival, "secret": secret}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["P-2025-010", "P-2025-011", "P-2024-003", "P-2020-001"]),  # by phase, longest in it first
        ("q=ecoles", ["P-2020-001"]),  # no accent, no case
        ("q=RÉNOV chaufferie", ["P-2020-001"]),  # every word, in title or description
        ("q=p-2024", ["P-2024-003"]),
        ("phase=instruction&phase=livre", ["P-2024-003", "P-2020-001"]),
        ("theme={culture}&sort=-cout", ["P-2024-003", "P-2025-010"]),
        ("quartier={centre}", ["P-2020-001"]),
        ("chef={other_lead}&sort=code", ["P-2024-003", "P-2025-010"]),
        ("meteo=orage", ["P-2024-003"]),
        ("meteo=aucune&sort=code", ["P-2020-001", "P-2025-010", "P-2025-011"]),
        ("en_retard=on", ["P-2025-010", "P-2024-003"]),  # 45 days in commande (30), 190 in instruction (90)
        ("sans_nouvelles=on", ["P-2025-010"]),
        ("jalons_en_retard=on", ["P-2024-003"]),
        ("mes_projets=on&sort=code", ["P-2020-001", "P-2025-010", "P-2025-011"]),
        ("a_regarder=on&sort=code", ["P-2024-003", "P-2025-010"]),  # late and stormy; without news
        ("confidentiel=oui", ["P-2025-011"]),
        ("cout_min=1000000&cout_max=5000000", ["P-2024-003"]),
        ("commande_du=2020-01-01&commande_au=2020-12-31", ["P-2020-001"]),
        ("decision_du=2020-06-01&decision_au=2020-06-30", ["P-2020-001"]),
        ("sort=-cout", ["P-2020-001", "P-2024-003", "P-2025-011", "P-2025-010"]),
        ("sort=titre", ["P-2025-011", "P-2025-010", "P-2024-003", "P-2020-001"]),
    ],
)
def test_filters_search_and_sort_live_in_the_url(client_for, lead, other_lead, catalogue, query, expected):
    query = query.format(
        culture=catalogue["museum"].theme_id, centre=catalogue["schools"].district_id, other_lead=other_lead.pk
    )
    response = client_for(lead).get(f"{reverse('portfolio:project_list')}?{query}")
    assert _codes(response) == expected


def test_an_invalid_filter_is_shown_and_ignored(client_for, lead, catalogue):
    response = client_for(lead).get(reverse("portfolio:project_list"), {"cout_min": "beaucoup"})
    assert "Un filtre n'est pas valide" in response.text and "Saisissez un nombre." in response.text
    assert len(_codes(response)) == 4


def test_pages_keep_the_filters(client_for, lead):
    theme = ThemeFactory(name="Commerce")
    for number in range(30):
        ProjectFactory(code=f"P-2023-{number:03d}", theme=theme, lead=lead)
    ProjectFactory(code="P-2023-900", lead=lead, theme=ThemeFactory(name="Culture"))  # another theme
    response = client_for(lead).get(reverse("portfolio:project_list"), {"theme": theme.pk, "sort": "code", "page": 2})
    assert _codes(response) == [f"P-2023-{n:03d}" for n in range(25, 30)]
    assert "26–30 sur 30" in response.text
    assert f'href="?theme={theme.pk}&amp;sort=code&amp;page=1"' in response.text


def test_the_csv_export_has_the_import_headers_and_exactly_the_filtered_rows(client_for, lead, catalogue):
    response = client_for(lead).get(
        reverse("portfolio:project_export", args=["csv"]), {"theme": catalogue["schools"].theme_id}
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert ";".join(rows[0]) == SPEC_HEADERS
    assert [row[0] for row in rows[1:]] == ["P-2025-011", "P-2020-001"]
    schools = dict(zip(rows[0], rows[2], strict=True))
    assert schools == {
        "code": "P-2020-001",
        "titre": "Rénovation énergétique des écoles",
        "theme": "Urbanisme",
        "quartier": "Centre ancien",
        "chef_de_projet": lead.email,
        "date_commande": "15/01/2020",
        "date_instruction": "01/02/2020",
        "date_arbitrage": "04/05/2020",
        "date_decision": "02/06/2020",
        "date_livraison": "30/09/2022",
        "date_evaluation": "",
        "statut": "",
        "date_statut": "",
        "cout_total": "6900000,00",
        "part_ville": "120000,50",
        "confidentiel": "non",
    }


def test_the_xlsx_export_follows_the_same_filters(client_for, lead, catalogue):
    response = client_for(lead).get(reverse("portfolio:project_export", args=["xlsx"]), {"meteo": "orage"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][0] == "P-2024-003" and values[1][13] == 4200000


def test_an_abandoned_file_exports_its_status_and_date(client_for, lead):
    ProjectFactory(
        code="P-2021-004",
        lead=lead,
        commission_letter=CommissionLetterFactory(date=D(2021, 3, 1)),
        phases={Phase.INSTRUCTION: D(2021, 3, 8), Phase.ABANDONNE: D(2021, 9, 1)},
    )
    body = b"".join(client_for(lead).get(reverse("portfolio:project_export", args=["csv"])).streaming_content).decode()
    row = body.splitlines()[1].split(";")
    assert (row[5], row[6], row[11], row[12]) == ("01/03/2021", "08/03/2021", "abandonne", "01/09/2021")


def test_a_confidential_project_does_not_exist_for_an_outsider(client_for, other_lead, elected, catalogue):
    for user in (other_lead, elected):
        client = client_for(user)
        listing = client.get(reverse("portfolio:project_list"))
        assert "P-2025-011" not in listing.text and "3 projets" in listing.text
        assert "P-2025-011" not in client.get(reverse("portfolio:project_list"), {"q": "friche"}).text
        assert "P-2025-011" not in client.get(reverse("portfolio:project_board")).text
        assert "P-2025-011" not in client.get(reverse("portfolio:project_roadmap")).text
        export = client.get(reverse("portfolio:project_export", args=["csv"]))
        assert "P-2025-011" not in b"".join(export.streaming_content).decode()
        assert "P-2025-011" not in client.get(reverse("portfolio:lead_times")).text


def test_the_board_counts_each_phase_and_lists_the_longest_waiting_first(client_for, director, catalogue):
    response = client_for(director).get(reverse("portfolio:project_board"))
    text = response.text
    assert re.search(r'id="col-commande".*?<span class="board-count">2</span>', text, re.S)
    assert re.search(r'id="col-instruction".*?<span class="board-count">1</span>', text, re.S)
    commande = text[text.index('id="col-commande"') : text.index('id="col-instruction"')]
    assert commande.index("P-2025-010") < commande.index("P-2025-011")  # 45 days before 20 days


def test_the_roadmap_draws_phases_and_milestones_with_a_text_version(client_for, director, catalogue):
    response = client_for(director).get(reverse("portfolio:project_roadmap"), {"q": "musée"})
    text = response.text
    # The projects' names are links: the drawing is a labelled group, not an image hiding them.
    assert re.search(r'<svg [^>]*role="group" aria-labelledby="chart-\d+-title', text) and "<title" in text
    assert "— en retard, prévu le" in text  # the late milestone, named in its marker
    assert "Version texte : jalons des projets affichés" in text
    assert "style=" not in text[text.index("<svg") : text.index("</svg>")]
