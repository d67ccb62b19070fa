"""axe-core on every page a person reaches from their navigation, for each role, in Chromium.

For each demo user: the home page, every link of the main navigation, of the header and of
the footer, then the key pages one click away from those (the projects' board and roadmap, a
project page and each of its tabs and actions, a partner, a funding plan and a funding line,
an indicator, a monthly report and its accessible HTML version), one test per role so that
they run side by side. Anonymous visitors get the public pages. Each crawl starts from the
demo with last month's report sent, so that the archive is not empty.

axe-core is vendored in tests/assurance/vendor/axe-core/ (npm `axe-core@4.14.1`, MPL-2.0).
Its script is injected into the page, so the browser context bypasses the CSP, which
otherwise (rightly) refuses any script the application did not sign with its nonce."""

import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import TestCase
from playwright.sync_api import expect

from innovaction.demo import DEMO_PASSWORD, DEMO_USERS
from scorecard.periods import Period
from scorecard.reports import services as report_services
from scorecard.reports.models import Recipient
from tests import snapshot
from tests.conftest import loopback_smtp, once_per_run, rolled_back

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[1] / "assurance" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
LESSER = Counter()  # moderate and minor findings, by rule: printed, not failed on
PUBLIC_PAGES = ["/connexion/", "/mot-de-passe/oubli/", "/open-data/", "/accessibilite/", "/donnees-personnelles/"]

# Pages one click away from the navigation: the first link of each kind found on the pages
# the navigation leads to is checked too, and the links of the page it leads to listed below.
DETAIL_PAGES = {
    "tableau des projets": re.compile(r"^/projets/tableau/$"),
    "feuille de route": re.compile(r"^/projets/feuille-de-route/$"),
    "projet": re.compile(r"^/projets/\d+/$"),
    "partenaire": re.compile(r"^/partenaires/\d+/$"),
    "plan de financement": re.compile(r"^/partenaires/financements/projets/\d+/$"),
    "ligne de financement": re.compile(r"^/partenaires/financements/lignes/\d+/$"),
    "indicateur": re.compile(r"^/tableau-de-bord/indicateurs/[A-Z][A-Z0-9-]+/$"),
    "rapport": re.compile(r"^/tableau-de-bord/rapports/\d{4}-\d{2}/$"),
}
# On a detail page, the links that open its parts: the project's tabs and actions, the
# report's accessible version.
PARTS = {
    "projet": "#project-tabs a, .project-head .actions a",
    "rapport": "a[href$='/lire/']",
}


def _hrefs(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.getAttribute('href'))")
    return [urlsplit(href).path for href in hrefs if href and href.startswith("/") and "/export" not in href]


# css-orientation-lock reads every stylesheet again on each run (axe's `preload`, about a seventh
# of a run): the stylesheets are checked once instead, in
# test_no_stylesheet_locks_the_screen_orientation.
AXE_OPTIONS = "{resultTypes: ['violations'], preload: false, rules: {'css-orientation-lock': {enabled: false}}}"


def _axe(page, role: str, path: str) -> list[str]:
    """Serious and critical violations of the page as it stands, one line each."""
    # Only the violations cross over to Python: the whole result (~55 kB of passes and rules
    # that did not apply) took ~30 ms a page to serialise and read back.
    violations = page.evaluate(f"async () => (await axe.run(document, {AXE_OPTIONS})).violations")
    found = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            LESSER[f"{violation['id']} ({violation['impact']})"] += len(violation["nodes"])
            continue
        for node in violation["nodes"]:
            found.append(
                f"[{role}] {path} — {violation['id']} ({violation['impact']}) on {' '.join(map(str, node['target']))}: "
                f"{violation['help']}"
            )
    return found


def _visit(page, base: str, role: str, path: str) -> list[str]:
    # No page loads content on its own after the `load` event (no htmx load trigger), so
    # waiting for the network to go idle would only cost half a second a page.
    response = page.goto(base + path)
    assert response is not None and response.ok, f"[{role}] {path} → {response.status if response else '—'}"
    return _axe(page, role, path)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{base}/")


def _pages_of(page, base: str, role: str, violations: list[str]) -> list[str]:
    """Visit what the signed-in person's navigation offers, then one click further."""
    seen = []
    tier = ["/", *_hrefs(page, "nav.sidebar a, .site-header a, .site-footer a")]
    details: dict[str, str] = {}
    for path in dict.fromkeys(tier):
        seen.append(path)
        # The home page is where signing in lands: it is checked as it stands.
        violations += _axe(page, role, path) if path == "/" else _visit(page, base, role, path)
        for kind, pattern in DETAIL_PAGES.items():
            if details.get(kind) is None:
                details[kind] = next((href for href in _hrefs(page, "main a") if pattern.match(href)), None)
    for kind, path in details.items():
        if path is None or path in seen:
            continue
        seen.append(path)
        violations += _visit(page, base, role, path)
        for part in _hrefs(page, PARTS[kind]) if kind in PARTS else []:
            if part not in seen:
                seen.append(part)
                violations += _visit(page, base, role, part)
    return seen


def _send_last_months_report(inbox) -> None:
    Recipient.objects.create(name="Marie Faure", email="elu@demo.innovaction.fr")
    Recipient.objects.create(name="Paul Girard", email="paul.girard@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the deliveries, as after a commit
        report_services.report_send(period=Period.current().previous())
    assert len(inbox.messages) == 2


@pytest.fixture(scope="session")
def _sent_report_snapshot(_demo_snapshot, django_db_blocker, tmp_path_factory):
    """The demo with last month's report sent, made once per run: rendering the PDF takes
    seconds, and each crawl restores the copy. None on SQLite (no snapshot)."""
    if _demo_snapshot is None:
        return None

    def send() -> snapshot.Snapshot:
        media = tmp_path_factory.mktemp("media")
        with loopback_smtp() as (inbox, mailers), rolled_back(django_db_blocker, MEDIA_ROOT=media, MAILERS=mailers):
            snapshot.restore(_demo_snapshot)
            _send_last_months_report(inbox)
            return snapshot.take(media_root=media)

    return once_per_run("demo-report", send, tmp_path_factory)


@pytest.fixture
def sent_report(request, transactional_db, _sent_report_snapshot, settings, tmp_path):
    """The demo with last month's report sent to two recipients (its archive, detail and HTML
    version), committed for the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if _sent_report_snapshot is not None:
        snapshot.restore(_sent_report_snapshot, media_root=settings.MEDIA_ROOT)
        return
    request.getfixturevalue("demo_data")
    _send_last_months_report(request.getfixturevalue("smtp_server"))


@pytest.fixture
def axe_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


def _report(role: str, paths: list[str], started: float) -> None:
    print(f"\naxe-core {AXE.parent.name} [{role}] : {len(paths)} pages en {time.perf_counter() - started:.0f} s")
    print(f"  {' '.join(paths)}")
    print("  constats modérés ou mineurs (éléments) :", dict(LESSER.most_common()) or "aucun")


def test_no_stylesheet_locks_the_screen_orientation():
    """WCAG 1.3.4 (axe's css-orientation-lock): no stylesheet of the application so much as
    mentions the orientation in a media query, so none can lock it."""
    sheets = sorted((settings.BASE_DIR / "static").rglob("*.css"))
    assert len(sheets) >= 5, sheets
    mentions = [sheet.name for sheet in sheets if re.search(r"@media[^{]*orientation", sheet.read_text())]
    assert mentions == []


@pytest.mark.django_db(transaction=True)
def test_the_check_sees_a_planted_violation(axe_page, live_server):
    """The check sees what it is meant to see: a button with no name and pale grey text."""
    axe_page.goto(f"{live_server.url}/connexion/")
    axe_page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<button type=button></button><p style="color:#ccc;background:#fff">pâle</p>')"""
    )
    planted = "\n".join(_axe(axe_page, "contrôle", "/connexion/"))
    assert "button-name (critical)" in planted and "color-contrast (serious)" in planted, planted


@pytest.mark.django_db(transaction=True)
def test_axe_finds_no_serious_or_critical_violation_on_the_public_pages(axe_page, live_server):
    started = time.perf_counter()
    base = live_server.url
    violations: list[str] = []
    for path in PUBLIC_PAGES:
        violations += _visit(axe_page, base, "anonyme", path)
    # The login form showing its error.
    axe_page.goto(f"{base}/connexion/")
    axe_page.get_by_label("Adresse e-mail").fill("personne@example.org")
    axe_page.get_by_role("button", name="Se connecter").click()
    expect(axe_page.get_by_role("alert")).to_be_visible()
    violations += _axe(axe_page, "anonyme", "/connexion/ (erreur)")
    _report("anonyme", [*PUBLIC_PAGES, "/connexion/ (erreur)"], started)
    assert violations == [], f"{len(violations)} violations graves ou critiques :\n" + "\n".join(violations)


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("email", "role"), [(user[0], str(user[3][0])) for user in DEMO_USERS], ids=lambda v: v)
def test_axe_finds_no_serious_or_critical_violation_on_any_page_of_a_role(
    email, role, sent_report, axe_page, live_server
):
    started = time.perf_counter()
    base = live_server.url
    violations: list[str] = []
    _sign_in(axe_page, base, email)
    checked = _pages_of(axe_page, base, role, violations)
    _report(role, checked, started)
    # The crawl reached the detail pages: it did not silently stop at the navigation.
    assert any(DETAIL_PAGES["projet"].match(p) for p in checked), checked
    assert any(DETAIL_PAGES["indicateur"].match(p) for p in checked), checked
    if role in ("director", "cabinet", "elected"):
        assert any(p.endswith("/lire/") for p in checked), checked
    assert violations == [], f"{len(violations)} violations graves ou critiques :\n" + "\n".join(violations)
