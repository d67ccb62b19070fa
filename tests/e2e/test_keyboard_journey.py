"""A project lead who uses only the keyboard: signs in, reaches their project, adds a progress
note and signs out with Tab, Shift+Tab, Enter, Space (and the arrows inside a radio group,
as a keyboard user does). Every element that takes the focus on the way shows a visible
focus indicator, and the skip link leads to the main content."""

import datetime

import pytest
from playwright.sync_api import expect

from innovaction.roles import Role
from portfolio.models import ProgressNote
from tests.innovaction.factories import TEST_PASSWORD
from tests.portfolio.factories import ProjectFactory

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.getAttribute('aria-label') || '');
  const box = e.getBoundingClientRect();
  return {
    tag: e.tagName, type: e.type || '', focused: e.matches(':focus'), text: (e.innerText || '').trim(), label: label.trim(),
    href: e.getAttribute('href') || '', id: e.id,
    focusVisible: e.matches(':focus-visible'),
    outline: [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor],
    shadow: style.boxShadow,
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""
DARK_RING = "rgb(27, 36, 48)"  # --focus-ring
AMBER_RING = "rgb(240, 168, 0)"  # --focus, on the dark header


def _focus(page) -> dict:
    return page.evaluate(FOCUSED)


def _assert_visible_focus(focus: dict) -> None:
    """A keyboard focus shows: a 3 px ring of a colour that contrasts with what surrounds it."""
    where = f"{focus['tag']} « {focus['text'] or focus['label'] or focus['href']} »"
    if focus["type"] == "date" and not focus["focused"]:
        return  # Chromium's calendar button inside the date field: the browser draws its ring
    assert focus["focusVisible"], f"{where} : pas de :focus-visible"
    style, width, colour = focus["outline"]
    assert style == "solid" and width >= 3, f"{where} : contour de focus {focus['outline']}"
    assert colour in (DARK_RING, AMBER_RING), f"{where} : couleur de focus {colour}"
    assert focus["inView"], f"{where} : l'élément qui a le focus n'est pas à l'écran"


def _press_until(page, matches, key: str = "Tab", limit: int = 80) -> dict:
    """Press `key` until the focused element matches, checking each focus on the way."""
    for _ in range(limit):
        page.keyboard.press(key)
        focus = _focus(page)
        if focus["tag"] != "BODY":
            _assert_visible_focus(focus)
        if matches(focus):
            return focus
    raise AssertionError(f"{limit} × {key} sans atteindre l'élément voulu (dernier : {focus})")


def test_a_lead_signs_in_adds_a_note_and_signs_out_with_the_keyboard_only(
    transactional_db, make_user, page, live_server, artifacts_dir
):
    lead = make_user(Role.LEAD, first_name="Nadia", last_name="Benali", email="nadia.benali@example.org")
    project = ProjectFactory(lead=lead, code="P-2026-031", title="Halle gourmande du quartier Saint-Nicolas")
    shot = lambda name: page.screenshot(path=str(artifacts_dir / f"clavier-{name}.png"))  # noqa: E731

    # 1. The sign-in form has the focus on arrival: type, Tab, type, Enter.
    page.goto(f"{live_server.url}/connexion/")
    assert _focus(page)["label"].startswith("Adresse e-mail")
    page.keyboard.type(lead.email)
    _press_until(page, lambda f: f["label"].startswith("Mot de passe"), limit=1)
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Nadia")

    # 2. The skip link is the first stop of every page and shows itself; past it, the header
    # and the navigation lead to the list of projects.
    focus = _press_until(page, lambda f: True, limit=1)
    assert (focus["tag"], focus["text"], focus["href"]) == ("A", "Aller au contenu", "#main")
    shot("1-lien-d-evitement")
    _press_until(page, lambda f: f["tag"] == "A" and f["text"] == "Projets")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projets")

    # On the list, the skip link jumps over the header and the navigation.
    _press_until(page, lambda f: f["text"] == "Aller au contenu", limit=1)
    page.keyboard.press("Enter")
    assert _focus(page)["id"] == "main"
    _press_until(page, lambda f: f["href"] == project.get_absolute_url())
    shot("2-lien-du-projet")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.title)

    # 3. The notes tab, and a stormy note.
    _press_until(page, lambda f: f["text"].startswith("Points d'avancement"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nouveau point d'avancement")).to_be_visible()
    _press_until(page, lambda f: f["label"].startswith("Date"))  # today, already filled in
    focus = _press_until(page, lambda f: f["type"] == "radio")
    assert focus["label"] == "Soleil"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert _focus(page)["label"] == "Orage"
    _press_until(page, lambda f: f["label"].startswith("Point d'avancement"), limit=1)
    page.keyboard.type("Réunion publique tenue ; le permis de construire est attaqué par un riverain.")
    focus = _press_until(page, lambda f: f["tag"] == "BUTTON", limit=1)
    assert focus["text"] == "Ajouter le point"
    shot("3-point-saisi")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Point d'avancement ajouté")
    expect(page.locator("#project-badges")).to_contain_text("Orage")
    shot("4-point-ajoute")

    # 4. Back up the page with Shift+Tab to the sign-out button, pressed with Space.
    _press_until(page, lambda f: f["text"] == "Se déconnecter", key="Shift+Tab")
    shot("5-deconnexion")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

    note = ProgressNote.objects.get(project=project)
    assert (note.weather, note.date, note.author) == ("orage", datetime.date.today(), lead)
    assert note.text.startswith("Réunion publique tenue")
