"""The portfolio's pages run a number of queries that does not grow with the number of
projects: counted at 10 projects, then at 200, and pinned."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.choices import Phase, Weather
from tests.portfolio.factories import (
    CommissionLetterFactory,
    DistrictFactory,
    MilestoneFactory,
    ProgressNoteFactory,
    ProjectFactory,
    RiskFactory,
)

D = dt.date
PHASES = [
    {},
    {Phase.INSTRUCTION: D(2024, 2, 1)},
    {Phase.INSTRUCTION: D(2024, 2, 1), Phase.ARBITRAGE: D(2024, 4, 1)},
    {Phase.INSTRUCTION: D(2024, 2, 1), Phase.ARBITRAGE: D(2024, 4, 1), Phase.REALISATION: D(2024, 5, 1)},
]


def _grow(count: int, leads: list, team: list) -> None:
    """`count` more projects in every phase, with milestones, a note and a risk, some
    confidential, in several districts."""
    districts = [DistrictFactory() for _ in range(3)]
    for index in range(count):
        project = ProjectFactory(
            lead=leads[index % len(leads)],
            team=team if index % 3 == 0 else [],
            confidential=index % 7 == 0,
            district=districts[index % 3],
            commission_letter=CommissionLetterFactory(date=D(2024, 1, 15)),
            phases=PHASES[index % len(PHASES)],
        )
        MilestoneFactory(project=project, planned_date=D(2024, 6, 1))
        MilestoneFactory(project=project, planned_date=D(2030, 6, 1))
        ProgressNoteFactory(project=project, weather=Weather.ORAGE if index % 5 == 0 else Weather.SOLEIL)
        RiskFactory(project=project)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _list_urls() -> dict[str, str]:
    filters = "?q=projet&phase=instruction&phase=realisation&theme=&meteo=orage&cout_min=10&commande_du=2020-01-01&decision_du=2024-01-01&sort=-cout"
    return {
        "liste": reverse("portfolio:project_list"),
        "liste filtrée et triée": reverse("portfolio:project_list")
        + filters
        + "&en_retard=on&sans_nouvelles=on&mes_projets=on",
        "tableau": reverse("portfolio:project_board"),
        "feuille de route": reverse("portfolio:project_roadmap"),
        "export csv": reverse("portfolio:project_export", args=["csv"]) + filters,
        "délais": reverse("portfolio:lead_times"),
        "accueil": reverse("home"),
    }


# What each page costs, whatever the number of projects (session, user and roles included).
PAGE_QUERIES = {
    "liste": 9,
    "liste filtrée et triée": 8,
    "tableau": 9,
    "feuille de route": 11,
    "export csv": 4,
    "délais": 7,
    "accueil": 10,
}
PINNED = {
    **{("lead", name): count for name, count in PAGE_QUERIES.items()},
    **{("director", name): count for name, count in PAGE_QUERIES.items()},
    ("director", "accueil"): 12,  # the director's desk: decisions, late files, recent moves
}
TAB_QUERIES = {
    "project_detail": 13,  # two of them: the leverage fact the partners app adds to the summary
    "milestones": 7,
    "notes": 7,
    "risks": 8,
    "documents": 7,
    "history": 19,
    "project_edit": 9,
    "project_phase": 8,  # with the funding-plan gate the partners app registers
}
TABS = list(TAB_QUERIES)


def _measure(clients: dict, urls: dict) -> dict:
    return {(who, name): _queries(client, url) for who, client in clients.items() for name, url in urls.items()}


@pytest.mark.django_db
@pytest.mark.usefixtures("without_session_refresh")
def test_lists_home_and_project_tabs_stay_constant_from_10_to_200_projects(
    client_for, lead, director, make_user, targets
):
    from innovaction.roles import Role

    other = make_user(Role.LEAD)
    clients = {"lead": client_for(lead), "director": client_for(director)}
    for client in clients.values():
        client.get(reverse("home"))  # warm the session and the organisation's cache
    _grow(10, [lead, other], [other])
    project = ProjectFactory(lead=lead, phases=PHASES[2])
    MilestoneFactory(project=project)
    tabs = {tab: reverse(f"portfolio:{tab}", args=[project.pk]) for tab in TABS}
    lists_small = _measure(clients, _list_urls())
    tabs_small = _measure({"lead": clients["lead"]}, tabs)

    _grow(190, [lead, other], [other])
    for _ in range(5):  # more records on the project itself change nothing either
        MilestoneFactory(project=project)
        RiskFactory(project=project)
    assert _measure(clients, _list_urls()) == lists_small == PINNED
    assert _measure({"lead": clients["lead"]}, tabs) == tabs_small
    assert tabs_small == {("lead", tab): count for tab, count in TAB_QUERIES.items()}
