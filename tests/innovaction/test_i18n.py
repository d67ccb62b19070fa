import pytest
from django.urls import reverse

from innovaction.formatting import format_money


@pytest.mark.django_db
def test_french_by_default_whatever_the_browser_says(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr">' in response.text
    assert "Se connecter" in response.text and "Mot de passe" in response.text


@pytest.mark.django_db
def test_the_language_switch_turns_the_interface_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert '<html lang="en">' in page.text
    assert "Sign in" in page.text and "Forgot your password?" in page.text
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert "Se connecter" in client.get(reverse("login")).text


def test_money_is_written_the_french_way():
    from decimal import Decimal

    assert format_money(Decimal("1234567.891")) == "1\u00a0234\u00a0567,89\u00a0€"
    assert format_money(Decimal("0.1") + Decimal("0.2")) == "0,30\u00a0€"
    assert format_money(Decimal("-1500")) == "-1\u00a0500,00\u00a0€"
    assert format_money(None) == "—"
