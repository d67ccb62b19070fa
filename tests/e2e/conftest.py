import pytest

from innovaction.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db, demo_data):
    """The demo data (tests/conftest.py), committed: the live server reads it from its own
    connection."""


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
