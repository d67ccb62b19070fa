"""The eleven computed indicators of SPEC §5.2, proved on a city built by hand
(tests/scorecard/datasets.py) for March and April 2025 and for an empty month.

Arithmetic, by hand:

Active at end of March (31/03): A (mise en œuvre), B (mise en œuvre since 20/03), C
(instruction, abandoned only on 05/04), E (commande, confidential). Not active: D (suspended
on 15/03), G (livré on 31/03, the last day), F (letter dated 02/05, does not exist yet).
→ PROC-FILE-ACTIVE 4; FIN-PORTEFEUILLE 1 000 000 + 400 000 + 200 000 + 500 000 = 2 100 000.
Active at end of April (30/04): B, D (resumed instruction on 10/04), E. A was delivered on
10/04, C abandoned on 05/04. → 3; 400 000 + 300 000 + 500 000 = 1 200 000.

FIN-LEVIER / FIN-COFI, March: projects existing and not abandoned at 31/03 = A B C D E G; city
100 000 + 50 000 + 30 000 + 20 000 + 0 + 40 000 = 240 000. Secured lines granted ≤ 31/03: A1
300 000, C1 60 000, E1 200 000, G1 40 000 (A2 is granted on 02/04; B1 refused; B2 only
requested) = 600 000 → 600 000 / 240 000 = 2.50.
April: C is abandoned (its city share and C1 leave), F does not exist yet (F1 does not count);
city 100 000 + 50 000 + 20 000 + 0 + 40 000 = 210 000; secured A1 + A2 + E1 + G1 = 690 000
→ 690 000 / 210 000 = 3.2857… → 3.29.

PROC-DELAI-INSTRUCTION, March: window 01/04/2024 – 31/03/2025; decisions A 01/02/2025 (letter
01/10/2024: 123 days), B 20/03/2025 (letter 01/12/2024: 109 days), G 15/04/2024 (letter
01/01/2023: 470 days) → median of 109, 123, 470 = 123. April: window 01/05/2024 – 30/04/2025,
G leaves → median of 109 and 123 = 116.

PROC-JALONS, March: planned in March: A 10/03 done 08/03 (on time), B 20/03 done 20/03 (on
time, same day), C 31/03 done 02/04 (late), E 15/03 not done → 2 / 4 = 50 %. (A's milestone
of 28/02 is February's.) April: B 01/04 done 30/03 (on time), D 30/04 not done, E 15/04 done
14/04 (on time) → 2 / 3 = 66.67 %.

PROC-LIVRES: March G (31/03) → 1; April A (10/04) → 1.

PROC-ALERTE, March: active A B C E; weather as of 31/03: A orage (05/03), B nuage (10/02), C
orage (31/03), E no note → 2 / 4 = 50 %. D is stormy but suspended, so not counted.
April: active B D E; B orage (30/04, the last day), D orage (20/03, still its latest), E none
→ 2 / 3 = 66.67 %. Every project's current weather field says "soleil": it is not read.

USA-PARTENAIRES, March: P1 (2015), P2 (joined 10/03), P3 (leaves only on 15/04) = 3; P5 left
on 31/03, the last day, so no longer counts. April: P1, P2, P4 (joined 30/04), P7 (01/04) = 4;
P3 has left. USA-NOUVEAUX: March P2 = 1; April P4, P7 = 2.
USA-INTERACTIONS: March 01/03 (two partners, counted once) and 31/03 = 2; April 15/04 = 1.
"""

import pytest

from scorecard import kpis
from scorecard.periods import Period
from tests.scorecard.datasets import APRIL, EMPTY, MARCH, grow

MARCH_2025, APRIL_2025, EMPTY_MONTH = Period(2025, 3), Period(2025, 4), Period(2010, 1)


def test_the_registry_holds_exactly_the_eleven_codes_of_the_spec():
    assert set(kpis.REGISTRY) == set(MARCH)


@pytest.mark.parametrize("code", sorted(MARCH))
def test_each_indicator_for_march_april_and_an_empty_month(city, code):
    kpi = kpis.get(code)
    assert kpi.compute(MARCH_2025) == MARCH[code], "mars 2025"
    assert kpi.compute(APRIL_2025) == APRIL[code], "avril 2025"
    assert kpi.compute(EMPTY_MONTH) == EMPTY[code], "janvier 2010"


def test_compute_all_gives_the_same_values(city):
    assert kpis.compute_all(MARCH_2025) == MARCH
    assert kpis.compute_all(APRIL_2025, codes={"FIN-LEVIER"}) == {"FIN-LEVIER": APRIL["FIN-LEVIER"]}


def test_an_empty_month_with_no_data_at_all(db):
    assert kpis.compute_all(MARCH_2025) == EMPTY


def test_each_indicator_runs_the_same_few_queries_whatever_the_data_size(db, django_assert_num_queries):
    grow(2, "S")
    small = {}
    for code, kpi in kpis.REGISTRY.items():
        # leverage_of: one sum over the projects, one over their lines; the others, one query.
        with django_assert_num_queries(2 if code in {"FIN-LEVIER", "FIN-COFI"} else 1) as queries:
            kpi.compute(MARCH_2025)
        small[code] = len(queries.captured_queries)
    grow(30, "L")
    for code, kpi in kpis.REGISTRY.items():
        with django_assert_num_queries(small[code]):
            kpi.compute(MARCH_2025)
