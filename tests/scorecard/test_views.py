import datetime
from collections import Counter
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovaction.roles import Role
from partners.models import FundingLine
from scorecard import services
from scorecard.choices import JobState, Source, Status
from scorecard.models import Indicator, Measurement, Objective, PeriodLock, RecomputeJob, Target
from scorecard.periods import Period
from tests.scorecard.datasets import grow
from tests.scorecard.factories import IndicatorFactory, ObjectiveFactory, PerspectiveFactory

MARCH = Period(2025, 3)
ROLES = [Role.ADMIN, Role.DIRECTOR, Role.LEAD, Role.CABINET, Role.ELECTED]


@pytest.fixture
def city_computed(city, indicators):
    """The hand-built city with March 2025 computed; E1 (of the confidential project) expires soon."""
    FundingLine.objects.filter(pk=city["lines"]["E1"].pk).update(expires_on=datetime.date(2025, 4, 20))
    services.recompute_period(period=MARCH)
    return city


@pytest.fixture
def qvt(db, lead):
    indicator = IndicatorFactory(
        code="APP-QVT",
        name="Qualité de vie au travail",
        source=Source.MANUAL,
        unit="score",
        decimals=1,
        owner=lead,
        min_value=Decimal(0),
        max_value=Decimal(10),
        definition="Note moyenne du baromètre, sur 10.",
    )
    Target.objects.create(indicator=indicator, year=2025, value=Decimal("7"))
    return indicator


# Who may do what -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_dashboards(client_for, make_user, indicators, role):
    client = client_for(make_user(role))
    for url in [
        reverse("scorecard:dashboard"),
        reverse("scorecard:indicator_list"),
        reverse("scorecard:indicator_detail", args=["FIN-LEVIER"]),
        reverse("scorecard:strategy_map"),
    ]:
        assert client.get(url).status_code == 200, (role, url)


def test_a_user_without_a_role_reads_nothing(client_for, make_user, indicators):
    client = client_for(make_user())
    assert client.get(reverse("scorecard:dashboard")).status_code == 403
    assert client.get(reverse("scorecard:indicator_detail", args=["FIN-LEVIER"])).status_code == 403


DIRECTOR_ONLY = [
    ("get", "scorecard:config", []),
    ("get", "scorecard:objective_create", []),
    ("get", "scorecard:indicator_create", []),
    ("get", "scorecard:indicator_edit", ["FIN-LEVIER"]),
    ("get", "scorecard:indicator_targets", ["FIN-LEVIER"]),
    ("get", "scorecard:perspective_create", []),
    ("get", "scorecard:measurement_revise", ["FIN-LEVIER"]),
    ("post", "scorecard:recompute_start", []),
]


@pytest.mark.parametrize("role", ROLES)
def test_configuration_recompute_and_corrections_are_the_directors(client_for, make_user, indicators, role):
    client = client_for(make_user(role))
    expected_ok = role == Role.DIRECTOR
    for method, name, args in DIRECTOR_ONLY:
        response = getattr(client, method)(reverse(name, args=args), {"first": "2025-03", "last": "2025-03"})
        if expected_ok:
            assert response.status_code in (200, 302), (name, response.status_code)
        else:
            assert response.status_code == 403, (role, name)


@pytest.mark.parametrize(
    ("role", "owner", "expected"),
    [
        (Role.LEAD, True, 200),
        (Role.LEAD, False, 403),
        (Role.DIRECTOR, False, 200),
        (Role.CABINET, True, 403),  # readers never write, even an indicator they "own"
        (Role.ELECTED, False, 403),
        (Role.ADMIN, False, 403),
    ],
)
def test_a_manual_value_is_entered_by_its_owner_or_the_director(client_for, make_user, role, owner, expected):
    user = make_user(role)
    indicator = IndicatorFactory(code="APP-IDEES", source=Source.MANUAL, owner=user if owner else None)
    url = reverse("scorecard:measurement_entry", args=[indicator.code])
    assert client_for(user).get(url).status_code == expected


def test_a_computed_indicator_has_no_entry_form(client_for, director, indicators):
    assert client_for(director).get(reverse("scorecard:measurement_entry", args=["FIN-LEVIER"])).status_code == 403


# The dashboard --------------------------------------------------------------------------------


def test_the_dashboard_shows_the_months_figures_and_its_lists(client_for, cabinet, city_computed):
    page = client_for(cabinet).get(reverse("scorecard:dashboard"), {"periode": "2025-03"}).text
    assert "Tableau de bord — mars 2025" in page
    assert "2,50" in page and "123,0\u00a0j" in page and "600\u00a0000\u00a0€" in page  # leverage, median, cofi
    assert "1 € de la ville → 2,50 € de partenaires" in page
    assert "badge--rouge" in page and "Rouge" in page  # status in words, not colour alone
    # Milestones of the next 30 days from 31/03: D's (30/04) and E's (15/04, done only on 14/04).
    assert "P-D — Maison de santé" in page and "P-E — Rachat secret" in page
    assert "Financements à échéance sous 60 jours" in page and "Banque" not in page
    assert 'role="img"' in page and "style=" not in page


def test_an_elected_official_never_sees_a_confidential_project_on_the_dashboard(client_for, elected, city_computed):
    page = client_for(elected).get(reverse("scorecard:dashboard"), {"periode": "2025-03"}).text
    assert "P-D — Maison de santé" in page
    assert "Rachat secret" not in page and "P-E" not in page
    # The indicators still count it: 4 active files, confidential one included.
    assert ">4<" in page


def test_a_month_not_computed_says_so(client_for, cabinet, indicators):
    page = client_for(cabinet).get(reverse("scorecard:dashboard"), {"periode": "2024-01"}).text
    assert "Aucune valeur pour ce mois" in page


@pytest.mark.parametrize("value", ["2025-13", "n'importe quoi", "2999-01"])
def test_a_bad_or_future_month_falls_back_to_the_current_one_with_a_message(client_for, cabinet, indicators, value):
    response = client_for(cabinet).get(reverse("scorecard:dashboard"), {"periode": value})
    assert response.status_code == 200
    assert Period.current().label in response.text
    assert "message--warning" in response.text


@pytest.mark.parametrize("role", [Role.CABINET, Role.ELECTED])
def test_cabinet_and_elected_land_on_the_dashboard(client_for, make_user, city_computed, role):
    page = client_for(make_user(role)).get(reverse("home")).text
    assert "<h1>Bonjour" in page
    assert "Tableau de bord prospectif" in page and "Effet de levier" in page
    assert page.count("<h1") == 1


def test_other_roles_keep_their_own_home(client_for, lead, city_computed):
    assert "Tableau de bord prospectif" not in client_for(lead).get(reverse("home")).text


# Session, user and roles (3); the grid: indicators, measurements, perspectives (3); phase
# targets, project states (2), stormy notes, the late and stormy projects shown (5); milestones
# and funding lines, each list and its count (4); the month's computation and lock (2); the
# months of the picker (1).
DASHBOARD_QUERIES = 18
# Indicator pages with a drill-down that lists records: at most this many queries.
INDICATOR_PAGES = [
    ("PROC-FILE-ACTIVE", {}),
    ("FIN-LEVIER", {}),
    ("FIN-LEVIER", {"vue": "projets"}),
    ("PROC-DELAI-INSTRUCTION", {}),
    ("PROC-JALONS", {}),
    ("PROC-ALERTE", {}),
    ("USA-INTERACTIONS", {}),
]


@pytest.mark.usefixtures("without_session_refresh")
def test_dashboard_and_indicator_pages_run_as_many_queries_whatever_the_data(client_for, elected, city_computed):
    """Each page is read after the city grew by 3 projects, then by 30 more (more than a page of
    records): the same number of queries both times."""
    client = client_for(elected)
    march = {"periode": "2025-03"}
    pages = [(reverse("scorecard:dashboard"), march)] + [
        (reverse("scorecard:indicator_detail", args=[code]), {**march, **extra}) for code, extra in INDICATOR_PAGES
    ]
    for url, _ in pages:
        client.get(url)  # the organisation is cached from then on

    def count_queries() -> dict:
        services.recompute_period(period=MARCH)
        counts = {}
        for url, params in pages:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            assert response.status_code == 200, url
            counts[f"{url}?{urlencode(params)}"] = len(queries)
        return counts

    grow(3, "S")
    small = count_queries()
    dashboard_queries, *indicator_queries = small.values()
    assert dashboard_queries == DASHBOARD_QUERIES, small
    assert max(indicator_queries) <= 22, small
    grow(30, "L")
    assert count_queries() == small
    dashboard = client.get(reverse("scorecard:dashboard"), march).text
    assert "et 2 autres" in dashboard or "autres" in dashboard  # the lists are capped, the counts say the rest


# The indicator page and its drill-down ----------------------------------------------------------


def test_cabinet_reaches_the_funding_lines_behind_the_leverage(client_for, cabinet, city_computed):
    url = reverse("scorecard:indicator_detail", args=["FIN-LEVIER"])
    page = client_for(cabinet).get(url, {"periode": "2025-03"}).text
    assert "Les données derrière la valeur de mars 2025" in page
    for amount in [
        "300\u00a0000,00\u00a0€",
        "60\u00a0000,00\u00a0€",
        "200\u00a0000,00\u00a0€",
        "40\u00a0000,00\u00a0€",
    ]:
        assert amount in page
    assert "150\u00a0000,00\u00a0€" not in page  # A2 is granted on 02/04
    assert "80\u00a0000,00\u00a0€" not in page  # B1 was refused
    assert "Total des financements listés" in page and "600\u00a0000,00\u00a0€" in page
    assert "Rachat secret" in page  # the cabinet sees confidential projects
    projects = client_for(cabinet).get(url, {"periode": "2025-03", "vue": "projets"}).text
    assert "Total de la part ville listée" in projects and "240\u00a0000,00\u00a0€" in projects


def test_an_elected_official_sees_the_value_but_not_the_confidential_lines(client_for, elected, city_computed):
    page = (
        client_for(elected).get(reverse("scorecard:indicator_detail", args=["FIN-LEVIER"]), {"periode": "2025-03"}).text
    )
    assert ">2,50<" in page  # the value counts every project
    assert "Rachat secret" not in page and "200\u00a0000,00\u00a0€" not in page
    assert "400\u00a0000,00\u00a0€" in page  # the lines listed: A1 + C1 + G1


@pytest.mark.parametrize(
    ("code", "expected", "absent"),
    [
        ("PROC-FILE-ACTIVE", ["P-A", "P-B", "P-C", "P-E", "Mise en œuvre"], ["P-D", "P-G", "P-F"]),
        ("FIN-PORTEFEUILLE", ["P-A", "P-E"], ["P-D"]),
        ("PROC-DELAI-INSTRUCTION", ["123 j", "109 j", "470 j"], []),
        ("PROC-JALONS", ["08/03/2025", "Tenu ?"], ["28/02/2025"]),
        ("PROC-LIVRES", ["P-G", "31/03/2025"], ["P-A"]),
        ("PROC-ALERTE", ["P-A", "Orage", "Nuage", "aucun point d'avancement"], ["P-D"]),
        ("USA-PARTENAIRES", ["Région", "Banque locale", "Chambre de commerce"], ["Association sortie", "Jamais"]),
        ("USA-NOUVEAUX", ["Banque locale"], ["Chambre de commerce"]),
        ("USA-INTERACTIONS", ["01/03/2025", "31/03/2025"], ["28/02/2025"]),
    ],
)
def test_each_drill_down_lists_the_records_of_the_rule(client_for, cabinet, city_computed, code, expected, absent):
    page = client_for(cabinet).get(reverse("scorecard:indicator_detail", args=[code]), {"periode": "2025-03"}).text
    for text in expected:
        assert text in page, text
    records = page.split("Les données derrière la valeur")[1]
    for text in absent:
        assert text not in records, text


def test_the_indicator_page_shows_definition_history_and_revisions(client_for, director, city_computed):
    services.period_lock(period=MARCH, by=director)
    from tests.scorecard.datasets import D, make_project

    make_project(D(2025, 3, 20), total="1.00", city="0.00", code="P-OUBLI")
    services.measurement_revise_computed(
        indicator=Indicator.objects.get(code="PROC-FILE-ACTIVE"), period=MARCH, comment="Projet oublié", by=director
    )
    page = (
        client_for(director)
        .get(reverse("scorecard:indicator_detail", args=["PROC-FILE-ACTIVE"]), {"periode": "2025-03"})
        .text
    )
    assert "Mode de calcul" in page and "Jamais vide" in page
    assert "Historique" in page and "historique sur 36 mois" in page
    assert "Révisions après verrouillage" in page and "Projet oublié" in page and "non (remplacée)" in page
    assert "Mois verrouillé : rapport envoyé" in page
    assert "Corriger ce mois (nouvelle révision)" in page


def test_object_links_fall_back_to_text_until_the_page_exists():
    from django.urls import NoReverseMatch

    from scorecard.templatetags.scorecard import object_link

    class WithPage:
        def __str__(self):
            return "P-1 — <Halle>"

        def get_absolute_url(self):
            return "/projets/1/"

    class WithoutPage(WithPage):
        def get_absolute_url(self):
            raise NoReverseMatch("portfolio:project_detail")

    assert object_link(WithPage()) == '<a href="/projets/1/">P-1 — &lt;Halle&gt;</a>'
    assert object_link(WithoutPage()) == "P-1 — <Halle>"


# Manual values -----------------------------------------------------------------------------------


def _entry(client, code, **data):
    return client.post(reverse("scorecard:measurement_entry", args=[code]), data)


def test_the_owner_enters_a_value_with_a_decimal_comma(client_for, lead, qvt):
    response = _entry(client_for(lead), "APP-QVT", period="2025-03", value="6,5", comment="Baromètre de mars")
    assert response.status_code == 302
    row = Measurement.objects.get(indicator=qvt, period=MARCH.start)
    assert (row.value, row.status, row.target, row.origin, row.recorded_by) == (
        Decimal("6.5"),
        Status.ORANGE,  # target 7, tolerance 10 % → orange from 6.3
        Decimal("7"),
        Source.MANUAL,
        lead,
    )
    # Entering it again replaces it while the month is open.
    _entry(client_for(lead), "APP-QVT", period="2025-03", value="7,2")
    assert list(Measurement.objects.filter(indicator=qvt).values_list("value", "revision")) == [(Decimal("7.2"), 1)]


def test_the_entry_form_shows_definition_previous_values_and_target(client_for, lead, qvt):
    services.measurement_record(indicator=qvt, period=Period(2025, 2), value=Decimal("6.8"), by=lead)
    page = client_for(lead).get(reverse("scorecard:measurement_entry", args=["APP-QVT"]), {"periode": "2025-03"}).text
    assert "Note moyenne du baromètre, sur 10." in page
    assert "Cible 2025 :" in page and "7,0" in page
    assert "Février 2025" in page and "6,8" in page


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"period": "2025-03", "value": "beaucoup"}, "Saisissez un nombre, par exemple 7,5 ou 1200."),
        ({"period": "2025-03", "value": "11"}, "La valeur doit être au plus 10."),
        ({"period": "2025-03", "value": "-1"}, "La valeur doit être au moins 0."),
        ({"period": "2025-03", "value": ""}, "Ce champ est obligatoire."),
        ({"period": "03/2025", "value": "5"}, "n&#x27;est pas un mois valide"),
        ({"period": "2999-01", "value": "5"}, "Ce mois n&#x27;a pas encore commencé"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(client_for, lead, qvt, data, field_error):
    response = _entry(client_for(lead), "APP-QVT", **data)
    assert response.status_code == 200
    assert field_error in response.text
    assert "Le formulaire n'a pas été enregistré" in response.text
    if data["value"]:
        assert f'value="{data["value"]}"' in response.text
    assert not Measurement.objects.exists()


def test_a_locked_month_is_corrected_only_by_the_director_as_a_new_revision(client_for, lead, director, qvt):
    services.measurement_record(indicator=qvt, period=MARCH, value=Decimal("6.5"), by=lead)
    services.period_lock(period=MARCH, by=director)
    refused = _entry(client_for(lead), "APP-QVT", period="2025-03", value="7")
    assert "seule la direction peut le corriger" in refused.text
    no_reason = _entry(client_for(director), "APP-QVT", period="2025-03", value="7")
    assert "indiquez le motif de la correction" in no_reason.text
    done = _entry(client_for(director), "APP-QVT", period="2025-03", value="7", comment="Erreur de report")
    assert done.status_code == 302
    rows = list(Measurement.objects.filter(indicator=qvt).order_by("revision"))
    assert [(r.revision, r.value, r.is_current) for r in rows] == [(1, Decimal("6.5"), False), (2, Decimal("7"), True)]
    assert rows[1].status == Status.VERT and rows[1].comment == "Erreur de report"


# Recompute from the pages ----------------------------------------------------------------------------


def test_recompute_from_the_page_without_javascript(
    client_for, director, city, indicators, django_capture_on_commit_callbacks
):
    client = client_for(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scorecard:recompute_start"), {"first": "2025-03", "last": "2025-04"})
    job = RecomputeJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("scorecard:recompute_job", args=[job.pk])
    page = client.get(response.url).text
    assert "Recalcul terminé : 2 mois à jour." in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops refreshing
    assert Measurement.objects.filter(period=MARCH.start).count() == 11


def test_recompute_with_htmx_swaps_in_a_polling_status(
    client_for, director, indicators, django_capture_on_commit_callbacks
):
    client = client_for(director)
    job = RecomputeJob.objects.create(
        first_period=MARCH.start, last_period=MARCH.start, periods_total=1, requested_by=director
    )
    fragment = client.get(reverse("scorecard:recompute_job", args=[job.pk]), HTTP_HX_REQUEST="true").text
    assert fragment.lstrip().startswith('<div class="recompute-status"')
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    page = client.get(reverse("scorecard:recompute_job", args=[job.pk])).text
    assert 'http-equiv="refresh"' in page  # without JavaScript, the page refreshes itself
    RecomputeJob.objects.filter(pk=job.pk).update(state=JobState.DONE, periods_done=1)
    done = client.get(reverse("scorecard:recompute_job", args=[job.pk]), HTTP_HX_REQUEST="true").text
    assert "hx-trigger" not in done and "Recalcul terminé" in done

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("scorecard:recompute_start"), {"first": "2025-03", "last": "2025-03"}, HTTP_HX_REQUEST="true"
        )
    # The fragment answers at once and polls; the job has run by the next poll.
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.text
    new_job = RecomputeJob.objects.latest("pk")
    polled = client.get(reverse("scorecard:recompute_job", args=[new_job.pk]), HTTP_HX_REQUEST="true").text
    assert "Recalcul terminé : 1 mois à jour." in polled


def test_a_bad_recompute_range_is_explained(client_for, director, indicators):
    response = client_for(director).post(reverse("scorecard:recompute_start"), {"first": "2025-05", "last": "2025-03"})
    assert response.status_code == 400
    assert "Le premier mois doit précéder le dernier." in response.text
    assert not RecomputeJob.objects.exists()


# Configuration -------------------------------------------------------------------------------------


def test_the_director_changes_a_target_and_the_colour_follows_after_recompute(
    client_for, director, city_computed, django_capture_on_commit_callbacks
):
    client = client_for(director)
    row = Measurement.objects.get(indicator__code="FIN-LEVIER", period=MARCH.start)
    assert row.status == Status.ROUGE  # 2.50 against 5
    response = client.post(
        reverse("scorecard:indicator_targets", args=["FIN-LEVIER"]), {"year": "2025", "value": "2,5"}
    )
    assert response.status_code == 302
    assert "prochain recalcul" in client.get(response.url).text
    row.refresh_from_db()
    assert row.status == Status.ROUGE  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scorecard:recompute_start"), {"first": "2025-03", "last": "2025-03"})
    row.refresh_from_db()
    assert (row.status, row.target) == (Status.VERT, Decimal("2.5"))


def test_the_director_creates_an_objective_with_its_effects(client_for, director):
    perspective = PerspectiveFactory()
    effect = ObjectiveFactory(perspective=perspective, name="Doubler l'investissement")
    response = client_for(director).post(
        reverse("scorecard:objective_create"),
        {"perspective": perspective.pk, "code": "levier", "name": "Cofinancer", "order": 1, "effects": [effect.pk]},
    )
    assert response.status_code == 302
    created = Objective.objects.get(code="levier")
    assert list(created.effects.all()) == [effect]
    page = client_for(director).get(reverse("scorecard:strategy_map")).text
    assert "Contribue à :" in page and "Doubler l&#x27;investissement" in page


def test_deleting_an_objective_asks_first(client_for, director):
    objective = ObjectiveFactory(name="À supprimer")
    client = client_for(director)
    page = client.get(reverse("scorecard:objective_delete", args=[objective.pk])).text
    assert "Supprimer l'objectif « À supprimer » et ses liens de cause à effet ?" in page
    assert Objective.objects.filter(pk=objective.pk).exists()
    client.post(reverse("scorecard:objective_delete", args=[objective.pk]))
    assert not Objective.objects.filter(pk=objective.pk).exists()


def _indicator_data(indicator, **changes):
    data = {
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "perspective": indicator.perspective_id,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "periodicity": indicator.periodicity,
        "source": indicator.source,
        "tolerance_pct": "10",
        "decimals": "1",
        "is_active": "on",
        "version": indicator.version,
    }
    return {**data, **changes}


def test_a_computed_indicator_needs_a_code_the_registry_knows(client_for, director, indicators):
    perspective = indicators["FIN-LEVIER"].perspective
    response = client_for(director).post(
        reverse("scorecard:indicator_create"),
        {
            "code": "FIN-INCONNU",
            "name": "Inconnu",
            "definition": "?",
            "perspective": perspective.pk,
            "unit": "count",
            "direction": "up",
            "periodicity": "monthly",
            "source": "computed",
            "tolerance_pct": "10",
            "decimals": "0",
        },
    )
    assert response.status_code == 200
    assert "Aucun calcul n&#x27;existe pour le code « FIN-INCONNU »" in response.text
    assert not Indicator.objects.filter(code="FIN-INCONNU").exists()


def test_a_stale_indicator_form_is_refused_with_the_input_kept(client_for, director, indicators):
    indicator = indicators["FIN-LEVIER"]
    stale = _indicator_data(indicator, name="Levier (modifié)")
    client = client_for(director)
    assert (
        client.post(
            reverse("scorecard:indicator_edit", args=["FIN-LEVIER"]), _indicator_data(indicator, tolerance_pct="20")
        ).status_code
        == 302
    )
    response = client.post(reverse("scorecard:indicator_edit", args=["FIN-LEVIER"]), stale)
    assert "a modifié cette fiche" in response.text and 'value="Levier (modifié)"' in response.text
    indicator.refresh_from_db()
    assert (indicator.name, indicator.tolerance_pct) == ("Effet de levier", Decimal("20"))


def test_deleting_a_target_asks_first(client_for, director, indicators):
    client = client_for(director)
    url = reverse("scorecard:target_delete", args=["FIN-LEVIER", 2025])
    assert "Supprimer la cible 2025" in client.get(url).text
    client.post(url)
    assert not Target.objects.filter(indicator__code="FIN-LEVIER").exists()
    assert not PeriodLock.objects.exists()


def test_phase_states_of_the_dashboard_agree_with_the_transition_log(city):
    """The dashboard reads project states its own fast way; it must say what
    portfolio.selectors.with_phase_on says, on every date that matters."""
    from portfolio.models import Project
    from portfolio.selectors import existing_on, with_phase_on
    from scorecard.selectors.watchlist import phase_states_on

    for day in [datetime.date(2025, d, 1) for d in range(1, 13)] + [
        datetime.date(2025, 3, 31),
        datetime.date(2023, 5, 1),
    ]:
        expected = {p.pk: p.phase_on for p in with_phase_on(existing_on(Project.objects.all(), day), day)}
        states = phase_states_on(Project.objects.all(), day)
        assert {pid: s.phase for pid, s in states.items()} == expected, day


def test_late_and_stormy_lists_of_the_dashboard_agree_with_the_logs(city):
    """portfolio_watch_on counts and picks in SQL (bench/, issue 9); read straight from the
    transition log and the notes, in Python, it must find the same counts, late and stormy
    projects in the same order — the current `weather` field says sunny everywhere here."""
    from portfolio.choices import ACTIVE_PHASES
    from portfolio.models import PhaseTransition, ProgressNote, Project
    from portfolio.workflow import OPEN_PHASES
    from scorecard.selectors.watchlist import portfolio_watch_on

    targets = {"commande": 20, "instruction": 45, "arbitrage": 30, "realisation": 200, "suspendu": 60}
    transitions = list(PhaseTransition.objects.order_by("effective_date", "pk"))
    notes = list(ProgressNote.objects.order_by("date", "pk"))
    projects = {p.pk: p for p in Project.objects.select_related("commission_letter")}
    for day in [datetime.date(2025, d, 1) for d in range(1, 13)] + [datetime.date(2025, 3, 31)]:
        states, weather = {}, {}
        for row in transitions:
            if row.effective_date <= day and projects[row.project_id].commission_letter.date <= day:
                states[row.project_id] = (row.to_phase, row.effective_date)
        for note in notes:
            if note.date <= day:
                weather[note.project_id] = note.weather
        late = sorted(
            (since, pid)
            for pid, (phase, since) in states.items()
            if phase in OPEN_PHASES and since < day - datetime.timedelta(days=targets[phase])
        )
        stormy = sorted(
            (pid for pid, (phase, _since) in states.items() if phase in ACTIVE_PHASES and weather.get(pid) == "orage"),
            key=lambda pid: projects[pid].code,
        )
        watch = portfolio_watch_on(Project.objects.all(), day, targets)
        assert watch.counts == dict(Counter(phase for phase, _since in states.values())), day
        assert watch.late_ids == [pid for _since, pid in late], day
        assert watch.stormy_ids == stormy, day
        assert {pid: (watch.states[pid].phase, watch.states[pid].since) for pid in watch.late_ids} == {
            pid: states[pid] for _since, pid in late
        }, day
    checked = portfolio_watch_on(Project.objects.all(), datetime.date(2025, 4, 1), targets)
    assert checked.late_ids and checked.stormy_ids  # both lists are exercised


@pytest.mark.ignore_template_errors  # Django's admin templates rely on missing variables
def test_the_technical_admin_shows_the_scorecard_read_only(client_for, admin_user, city_computed):
    client = client_for(admin_user)
    for model in [
        "perspective",
        "objective",
        "indicator",
        "target",
        "measurement",
        "periodlock",
        "periodcomputation",
        "recomputejob",
    ]:
        assert client.get(reverse(f"admin:scorecard_{model}_changelist")).status_code == 200, model
    row = Measurement.objects.first()
    assert client.get(reverse("admin:scorecard_measurement_add")).status_code == 403
    assert client.post(reverse("admin:scorecard_measurement_delete", args=[row.pk])).status_code == 403
