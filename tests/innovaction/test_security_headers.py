import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client_for, lead, client):
    for c, name in [(client, "login"), (client_for(lead), "home"), (client, "healthz")]:
        response = c.get(reverse(name))
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_scripts_carry_the_nonce_of_the_response(client):
    response = client.get(reverse("login"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
