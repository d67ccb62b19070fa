"""Sign-in as each demo user, in Chromium. One demo dataset for the whole journey: seeding it
is the slow part, and every step below only reads it."""

import re

import pytest
from playwright.sync_api import expect

from innovaction.demo import DEMO_USERS

pytestmark = pytest.mark.e2e


def test_each_demo_user_signs_in_sees_their_home_and_switches_language(demo, login, page, live_server, artifacts_dir):
    for email, first_name, _last_name, roles in DEMO_USERS:
        login(email)
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {first_name}")
        expect(page.locator(".page-head .badge")).to_have_text(str(roles[0].label))
        nav = page.get_by_role("navigation", name="Navigation principale")
        expect(nav.get_by_role("link", name="Administration")).to_have_count(1 if roles[0] == "admin" else 0)
        page.screenshot(path=str(artifacts_dir / f"home-{roles[0]}.png"), full_page=True)

        page.get_by_role("button", name="Se déconnecter").click()
        expect(page).to_have_url(re.compile(r"/connexion/"))

    # A wrong password is explained in French and the address is kept.
    login("cheffe.projet@demo.innovaction.fr", "pas-le-bon")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("cheffe.projet@demo.innovaction.fr")

    # The language switch keeps the page.
    login("direction@demo.innovaction.fr")
    page.get_by_label("Langue").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Claire")
    page.get_by_label("Language").select_option("fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
