"""The read-only REST API (issue 7, points 4 and 5): visibility on every endpoint, token
authentication, formats, and a constant number of queries per page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from innovaction.roles import Role
from partners.choices import FundingStatus
from scorecard.choices import Source, Status
from scorecard.models import Measurement
from tests.partners.factories import FundingLineFactory, PartnerFactory
from tests.portfolio.factories import ProjectFactory
from tests.scorecard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

SECRET_CODE = "P-2024-SECRET"
SECRET_TITLE = "Rachat confidentiel de la friche"


@pytest.fixture
def portfolio(make_user, lead):
    partner = PartnerFactory(name="Région Auvergne-Rhône-Alpes", siret="")
    public = ProjectFactory(code="P-2024-PUBLIC", title="Halle gourmande", lead=lead)
    secret = ProjectFactory(code=SECRET_CODE, title=SECRET_TITLE, confidential=True, lead=lead)
    FundingLineFactory(project=public, partner=partner, amount=Decimal("1234.5"))
    FundingLineFactory(
        project=secret,
        partner=partner,
        amount=Decimal("987654.32"),
        status=FundingStatus.ACCORDE,
        granted_on=datetime.date(2024, 9, 1),
    )
    indicator = IndicatorFactory(code="APP-QVT", source=Source.MANUAL)
    Measurement.objects.create(
        indicator=indicator,
        period=datetime.date(2025, 1, 1),
        value=Decimal("7.5"),
        status=Status.VERT,
        origin=Source.MANUAL,
    )
    return {"public": public, "secret": secret, "partner": partner, "indicator": indicator}


def endpoints(portfolio):
    secret_line = portfolio["secret"].funding_lines.get()
    return [
        "/api/v1/",
        "/api/v1/projects/",
        f"/api/v1/projects/?q={SECRET_CODE}",
        "/api/v1/projects/?confidentiel=oui",
        f"/api/v1/projects/{SECRET_CODE}/",
        "/api/v1/partners/",
        f"/api/v1/partners/{portfolio['partner'].pk}/",
        "/api/v1/funding-lines/",
        f"/api/v1/funding-lines/?projet={SECRET_CODE}",
        f"/api/v1/funding-lines/{secret_line.pk}/",
        "/api/v1/indicators/",
        "/api/v1/indicators/APP-QVT/",
        "/api/v1/indicators/APP-QVT/measurements/",
    ]


@pytest.mark.parametrize("role", [Role.LEAD, Role.ELECTED])
def test_a_confidential_project_does_not_exist_for_an_outsider_on_any_endpoint(portfolio, make_user, client, role):
    outsider = make_user(role)
    client.force_login(outsider)
    for url in endpoints(portfolio):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        for secret in (SECRET_CODE, SECRET_TITLE, "987654.32", str(portfolio["secret"].pk) + ","):
            assert secret not in body, (url, secret)
    assert client.get(f"/api/v1/projects/{SECRET_CODE}/").status_code == 404
    partner = client.get(f"/api/v1/partners/{portfolio['partner'].pk}/").json()
    assert partner["requested_total"] == "1234.50" and partner["secured_total"] == "0.00"
    assert [p["code"] for p in client.get("/api/v1/projects/").json()["results"]] == ["P-2024-PUBLIC"]


def test_the_team_and_the_director_see_it(portfolio, client, lead, director):
    for user in (lead, director):
        client.force_login(user)
        codes = [p["code"] for p in client.get("/api/v1/projects/").json()["results"]]
        assert SECRET_CODE in codes
        lines = client.get(f"/api/v1/funding-lines/?projet={SECRET_CODE}").json()["results"]
        assert [line["amount"] for line in lines] == ["987654.32"]


def test_token_authentication_formats_and_read_only(portfolio, client, lead):
    assert client.get("/api/v1/projects/").status_code == 401
    key = Token.objects.create(user=lead).key
    response = client.get("/api/v1/projects/P-2024-PUBLIC/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    project = response.json()
    assert (project["total_cost"], project["commission_date"]) == ("1000000.00", "2024-01-15")
    line = client.get("/api/v1/funding-lines/?projet=P-2024-PUBLIC", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert line["results"][0]["amount"] == "1234.50"
    indicator = client.get("/api/v1/indicators/APP-QVT/", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert (indicator["latest_period"], indicator["latest_value"]) == ("2025-01", "7.5000")
    assert client.post("/api/v1/projects/", {}, HTTP_AUTHORIZATION=f"Token {key}").status_code == 405
    assert client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_a_user_gets_and_revokes_a_token(client_for, lead):
    client = client_for(lead)
    assert "Vous n'avez pas de jeton." in client.get("/api/jeton/").content.decode()
    page = client.post("/api/jeton/", {"action": "creer"}, follow=True).content.decode()
    key = Token.objects.get(user=lead).key
    assert key in page
    assert key not in client.get("/api/jeton/").content.decode()
    client.post("/api/jeton/", {"action": "revoquer"})
    assert not Token.objects.filter(user=lead).exists()


def test_schema_and_docs(client_for, director):
    client = client_for(director)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/indicators/{code}/measurements/" in paths and "/api/v1/funding-lines/" in paths
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


@pytest.mark.usefixtures("without_session_refresh")
def test_a_page_of_projects_costs_the_same_number_of_queries_whatever_the_size(client_for, director, make_user):
    client = client_for(director)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/projects/?par_page=50")
        assert response.status_code == 200
        return len(captured)

    leads = [make_user(Role.LEAD) for _ in range(3)]
    for n in range(5):
        ProjectFactory(lead=leads[n % 3])
    queries_for_page()  # warm: the organisation row and its cache exist from the first page on
    small = queries_for_page()
    for n in range(60):
        ProjectFactory(lead=leads[n % 3])
    assert queries_for_page() == small
    # session, user, roles, count, page, filter choices…: 9 today, pinned loosely.
    assert small <= 10


def test_funding_line_filters_refuse_bad_values_with_a_400_not_a_server_error(client_for, director, portfolio):
    client = client_for(director)
    # A NUL byte once reached PostgreSQL (« text fields cannot contain NUL ») and failed with a 500.
    for query in ("projet=%00", "partenaire=%C2%B2", "partenaire=1.5", "statut=inconnu", "type=%00"):
        response = client.get(f"/api/v1/funding-lines/?{query}")
        assert response.status_code == 400, (query, response.status_code)
        assert response.json(), query  # which filter, and why
    lines = client.get("/api/v1/funding-lines/?projet=P-2024-PUBLIC").json()["results"]
    assert [line["amount"] for line in lines] == ["1234.50"]
    granted = client.get(f"/api/v1/funding-lines/?statut=accorde&partenaire={portfolio['partner'].pk}").json()
    assert [(line["project"], line["amount"]) for line in granted["results"]] == [(SECRET_CODE, "987654.32")]
