"""Schemathesis against `/api/schema/`: requests generated from the schema (every path,
parameter and filter) never make the server fail (issue 7, point 4). The generated cases are
sent through Django's test client, so they run inside the test's transaction."""

from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.data.test_api import portfolio  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12


def test_no_generated_request_makes_the_server_fail(client_for, director, portfolio):  # noqa: F811
    client = client_for(director)
    raw = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [result.ok() for result in schemathesis.openapi.from_dict(raw).get_all_operations()]
    assert len(operations) == 9
    seen = {"requests": 0, "statuses": set()}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            query = urlencode(case.query or {}, doseq=True)
            response = client.generic(case.method, case.formatted_path, QUERY_STRING=query)
            seen["requests"] += 1
            seen["statuses"].add(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, query)

        check()
    print(
        f"schemathesis: {len(operations)} operations, {seen['requests']} requests, statuses {sorted(seen['statuses'])}"
    )
    assert seen["requests"] >= len(operations) * 5
