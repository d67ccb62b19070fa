"""The partner picker among 5,000 partners: names starting with what is typed come first,
accents and case do not matter, ten suggestions at most, and the same few queries whatever is
typed. How fast it answers is measured by the benchmark (`partner_autocomplete`, bench/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.choices import PartnerType
from partners.models import Partner
from partners.validators import search_text

WORDS = ["Ateliers", "Maison", "Société", "Groupe", "Cuir", "Numérique", "Bâtiment", "Énergie", "Drômois", "Vercors"]


@pytest.fixture
def five_thousand_partners(db):
    Partner.objects.bulk_create(
        [
            Partner(
                name=(name := f"{WORDS[i % 10]} {WORDS[(i // 10) % 10]} {WORDS[(i // 100) % 10]} — Partenaire {i}"),
                type=PartnerType.values[i % len(PartnerType.values)],
                siret=f"{12345000000000 + i}",
                search=search_text(name, f"{12345000000000 + i}", ""),
            )
            for i in range(5000)
        ],
        batch_size=1000,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("without_session_refresh")
def test_the_picker_puts_names_starting_with_the_query_first(five_thousand_partners, client_for, lead):
    client = client_for(lead)
    url = reverse("partners:autocomplete")
    queries = {}
    for query in ["a", "ateli", "maison cuir", "DRÔMOIS", "vercors energie", "12345", "zzz introuvable", "4999"]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": query})
        assert response.status_code == 200
        queries[query] = len(captured)
        results = response.json()["results"]
        assert len(results) <= 10, query
        if query == "zzz introuvable":
            assert results == []
        elif query == "4999":
            assert [r["name"] for r in results] == ["Vercors Vercors Vercors — Partenaire 4999"]
        else:
            assert results, query
    assert len(set(queries.values())) == 1, queries  # one query plan, whatever is typed

    names = [r["name"] for r in client.get(url, {"q": "ateli"}).json()["results"]]
    assert names[0].startswith("Ateliers")  # names starting with the query come first
    # Without accents or capitals, « drômois » still finds « Drômois ».
    assert all("Drômois" in r["name"] for r in client.get(url, {"q": "DROMOIS"}).json()["results"])
