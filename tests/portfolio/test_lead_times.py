"""Lead-time analytics with dates chosen by hand: instruction and delivery times, time per
phase, ages, breaches, median and P90 (percentile_cont), cohorts and their ratio."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from portfolio.choices import Phase
from portfolio.selectors.analytics import lead_time_report
from portfolio.selectors.projects import Thresholds
from tests.portfolio.factories import CommissionLetterFactory, ProjectFactory

D = dt.date
AS_OF = D(2024, 1, 1)
TARGETS = {Phase.COMMANDE: 30, Phase.INSTRUCTION: 90, Phase.ARBITRAGE: 45, Phase.REALISATION: 1000}


def _project(code: str, letter: dt.date, *steps: tuple[Phase, int], **fields):
    """A project whose phases follow each other after the given numbers of days."""
    moves, day = {}, letter
    for phase, days in steps:
        day += dt.timedelta(days=days)
        moves[phase] = day
    return ProjectFactory(code=code, commission_letter=CommissionLetterFactory(date=letter), phases=moves, **fields)


INS, A, R, L, X = Phase.INSTRUCTION, Phase.ARBITRAGE, Phase.REALISATION, Phase.LIVRE, Phase.ABANDONNE


@pytest.fixture
def portfolio(lead):
    return {
        # Cohort A: letters of 2012–2013.
        "A1": _project("A1", D(2012, 3, 1), (INS, 10), (A, 300), (R, 50), (L, 400)),  # instruction 360, delivery 400
        "A2": _project("A2", D(2012, 6, 1), (INS, 20), (A, 400), (R, 60), (L, 500)),  # instruction 480, delivery 500
        "A3": _project("A3", D(2013, 2, 1), (INS, 30), (A, 200), (R, 40)),  # instruction 270, in realisation
        "A4": _project("A4", D(2013, 5, 1), (INS, 15)),  # still in instruction
        # Cohort B: letters of 2020–2021.
        "B1": _project("B1", D(2020, 1, 15), (INS, 5), (A, 60), (R, 25), (L, 300)),  # instruction 90, delivery 300
        "B2": _project("B2", D(2020, 3, 1), (INS, 10), (A, 80), (R, 30)),  # instruction 120
        "B3": _project("B3", D(2021, 1, 4), (INS, 7), (A, 40), (X, 20)),  # no-go: no decision date
        "B4": _project("B4", D(2021, 6, 1), (INS, 20), (A, 45), (R, 35)),  # instruction 100
        # Confidential, seen by the director only: instruction 60.
        "B5": _project("B5", D(2021, 2, 1), (INS, 10), (A, 30), (R, 20), confidential=True, lead=lead),
    }


def _report(user):
    return lead_time_report(
        user=user,
        limits=Thresholds(today=AS_OF, targets=TARGETS, stale_days=30),
        cohorts=[("A", D(2012, 1, 1), D(2013, 12, 31)), ("B", D(2020, 1, 1), D(2021, 12, 31))],
    )


@pytest.mark.django_db
def test_cohorts_median_and_p90_by_hand(portfolio, other_lead):
    report = _report(other_lead)  # does not see the confidential B5
    a, b = report.cohorts
    assert (a.projects, a.decided) == (4, 3)
    # Instruction A: 270, 360, 480 → median 360; P90 at rank 1.8: 360 + 0.8 × 120 = 456.
    assert (a.instruction.median, a.instruction.p90) == (360, 456)
    # Delivery A: 400, 500 → median 450; P90 at rank 0.9: 400 + 0.9 × 100 = 490.
    assert (a.delivery.median, a.delivery.p90) == (450, 490)
    assert (b.projects, b.decided) == (4, 3)
    # Instruction B: 90, 100, 120 → median 100; P90: 100 + 0.8 × 20 = 116.
    assert (b.instruction.median, b.instruction.p90) == (100, 116)
    assert (b.delivery.median, b.delivery.p90) == (300, 300)
    assert report.ratio == pytest.approx(3.6)  # 360 / 100: "instruction time divided by 3.6"
    # All decisions: 90, 100, 120, 270, 360, 480 → median 195; P90 at rank 4.5: 360 + 0.5 × 120 = 420.
    assert (report.instruction.count, report.instruction.median, report.instruction.p90) == (6, 195, 420)
    assert [(year, stat.median) for year, stat in report.by_year] == [
        (2012, 420),
        (2013, 270),
        (2020, 105),
        (2021, 100),
    ]


@pytest.mark.django_db
def test_time_per_phase_ages_and_breaches_by_hand(portfolio, other_lead):
    report = _report(other_lead)
    rows = {row.phase: row for row in report.phases}
    # Finished stays in commande: 5, 7, 10, 10, 15, 20, 20, 30 → median 12.5; P90 at 6.3: 20 + 0.3 × 10 = 23.
    assert (rows[Phase.COMMANDE].done.count, rows[Phase.COMMANDE].done.median) == (8, 12.5)
    assert rows[Phase.COMMANDE].done.p90 == pytest.approx(23)
    # Instruction (A4 has not finished it): 40, 45, 60, 80, 200, 300, 400 → median 80; P90 at 5.4: 340.
    assert (rows[INS].done.count, rows[INS].done.median) == (7, 80)
    assert rows[INS].done.p90 == pytest.approx(340)
    # Arbitrage: 20, 25, 30, 35, 40, 50, 60 → median 35; P90 at 5.4: 50 + 0.4 × 10 = 54.
    assert (rows[A].done.median, rows[A].done.p90) == (35, pytest.approx(54))
    # Realisation finished by a delivery: 300, 400, 500.
    assert (rows[R].done.count, rows[R].done.median, rows[R].done.p90) == (3, 400, pytest.approx(480))
    # Ages on 01/01/2024: A4 in instruction since 16/05/2013 = 3 882 days; in realisation A3 since
    # 29/10/2013 = 3 716, B2 since 29/06/2020 = 1 281, B4 since 09/09/2021 = 844.
    assert (rows[INS].ages.count, rows[INS].ages.median) == (1, 3882)
    assert (rows[R].ages.count, rows[R].ages.median) == (3, 1281)
    assert rows[R].ages.p90 == pytest.approx(1281 + 0.8 * (3716 - 1281))
    # Breaches (age > target): A4 (90), A3 and B2 (1 000); B4 at 844 is within its target.
    assert (rows[INS].breaches, rows[R].breaches, report.breach_count) == (1, 2, 3)
    assert [(b.project.code, b.age, b.target, b.over) for b in report.breaches] == [
        ("A4", 3882, 90, 3792),
        ("A3", 3716, 1000, 2716),
        ("B2", 1281, 1000, 281),
    ]


@pytest.mark.django_db
def test_the_director_counts_the_confidential_project_outsiders_do_not(portfolio, director):
    b = _report(director).cohorts[1]
    # Instruction B with B5: 60, 90, 100, 120 → median 95.
    assert (b.projects, b.decided, b.instruction.median) == (5, 4, 95)


@pytest.mark.django_db
def test_the_page_compares_the_cohorts_the_user_chose(client_for, portfolio, other_lead, settings):
    response = client_for(other_lead).get(
        reverse("portfolio:lead_times"),
        {"a_du": "2012-01-01", "a_au": "2013-12-31", "b_du": "2020-01-01", "b_au": "2021-12-31"},
    )
    assert response.status_code == 200
    text = response.text
    assert (
        "Délai d'instruction médian divisé par <strong>3,6</strong> : 360 jours pour la cohorte A, 100 jours pour la cohorte B."
        in text
    )
    assert text.count('role="img"') == 4  # cohorts, phases, ageing, years — each with its text alternative
    # The confidential B5 is not counted in cohort B: 4 projects, 3 decided (5 and 4 for the director).
    assert re.search(r'Cohorte B</th>\s*<td>[^<]*</td>\s*<td class="num">4</td>\s*<td class="num">3</td>', text)


@pytest.mark.django_db
def test_an_impossible_period_is_explained_and_the_defaults_shown(client_for, portfolio, other_lead):
    response = client_for(other_lead).get(
        reverse("portfolio:lead_times"), {"a_du": "2013-12-31", "a_au": "2012-01-01", "b_du": "2020-01-01", "b_au": "x"}
    )
    assert response.status_code == 200
    assert "La fin de la période précède son début." in response.text
    assert "Saisissez une date valide." in response.text
