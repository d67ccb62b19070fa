import io

import pytest
from django.core.management import call_command

from innovaction.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db):
    """The demo data, as `make run` shows it."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def login(page, live_server):
    """Sign in through the login form, as a person would."""

    def sign_in(email: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("networkidle")
        return page

    return sign_in
