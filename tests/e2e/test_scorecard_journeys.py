"""The scorecard tried as people would: the cabinet lands on the dashboard and follows the
leverage down to the funding lines behind it; the director changes a target and sees the
colour follow after a recompute."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from innovaction.formatting import format_decimal
from partners.choices import FundingStatus
from portfolio.choices import Phase
from portfolio.models import Project
from scorecard import services
from scorecard.models import Measurement
from scorecard.periods import Period
from tests.partners.factories import FundingLineFactory, PartnerFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def funded_demo(demo):
    """The demo, with three large grants secured this month on open projects (one of them
    confidential) — the largest lines, so they head the drill-down table sorted by amount —
    and the running month recomputed."""
    today = datetime.date.today()
    granted = max(today.replace(day=1), today - datetime.timedelta(days=20))
    open_projects = Project.objects.exclude(phase=Phase.ABANDONNE)
    chosen = [
        *open_projects.filter(confidential=False).order_by("code")[:2],
        open_projects.filter(confidential=True).order_by("code").first(),
    ]
    for project, (partner, amount) in zip(
        chosen,
        [
            ("Région Auvergne-Rhône-Alpes", "9450000.00"),
            ("Banque des Territoires", "9300000.00"),
            ("Fonds secret", "9099000.00"),
        ],
        strict=True,
    ):
        FundingLineFactory(
            project=project,
            partner=PartnerFactory(name=partner),
            amount=Decimal(amount),
            status=FundingStatus.ACCORDE,
            scheme="DSIL",
            granted_on=granted,
        )
    services.recompute_period(period=Period.current())
    return {"confidential": chosen[2]}


def test_the_cabinet_lands_on_the_dashboard_and_reaches_the_lines_behind_the_leverage(
    funded_demo, login, page, live_server, artifacts_dir
):
    login("cabinet@demo.innovaction.fr")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=2, name="Tableau de bord", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Tableau de bord prospectif")).to_be_visible()
    tile = page.locator(".kpi-tile", has_text="Effet de levier")
    expect(tile).to_contain_text("1 € de la ville →")
    expect(tile.locator(".badge")).to_have_text(re.compile("Vert|Orange|Rouge"))
    page.screenshot(path=str(artifacts_dir / "scorecard-1-cabinet-home.png"), full_page=True)

    tile.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Effet de levier")
    expect(page.get_by_role("img", name=re.compile("historique sur 36 mois"))).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "scorecard-2-leverage.png"), full_page=True)

    records = page.locator("#donnees")
    records.scroll_into_view_if_needed()
    expect(records.get_by_role("link", name="Financements acquis")).to_have_attribute("aria-current", "page")
    table = records.get_by_role("table")
    expect(table).to_contain_text("Région Auvergne-Rhône-Alpes")
    expect(table).to_contain_text("Banque des Territoires")
    expect(table).to_contain_text("Fonds secret")  # the cabinet sees confidential projects
    value = Measurement.objects.get(indicator__code="FIN-COFI", period=Period.current().start, is_current=True).value
    expect(table.locator("tfoot")).to_contain_text(f"{format_decimal(value)}\u00a0€")
    records.screenshot(path=str(artifacts_dir / "scorecard-3-leverage-lines.png"))

    records.get_by_role("link", name="Part ville par projet").click()
    expect(page.locator("#donnees").get_by_role("table")).to_contain_text("Total de la part ville listée")


def test_an_elected_official_sees_the_leverage_but_not_the_confidential_line(funded_demo, login, page):
    login("elu@demo.innovaction.fr")
    page.locator(".kpi-tile", has_text="Effet de levier").click()
    table = page.locator("#donnees").get_by_role("table")
    expect(table).to_contain_text("Région Auvergne-Rhône-Alpes")
    expect(table).not_to_contain_text("Fonds secret")
    expect(page.locator("body")).not_to_contain_text(funded_demo["confidential"].title)


def test_the_director_changes_a_target_and_the_colour_follows_after_recompute(
    funded_demo, login, page, live_server, artifacts_dir
):
    period = Period.current()
    leverage = Measurement.objects.get(indicator__code="FIN-LEVIER", period=period.start, is_current=True)
    assert leverage.status == "vert", "with the demo's partners the leverage is above its target of 5"

    login("direction@demo.innovaction.fr")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Tableau de bord").click()
    tile = page.locator(".kpi-tile", has_text="Effet de levier")
    expect(tile.locator(".badge")).to_have_text("Vert")
    page.screenshot(path=str(artifacts_dir / "scorecard-4-director-before.png"), full_page=True)

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Configuration").click()
    page.get_by_role("link", name="Cibles FIN-LEVIER").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cibles annuelles : Effet de levier")
    page.get_by_label("Année").fill(str(period.year))
    # Twice this month's value: far below the target is red.
    page.get_by_role("textbox", name="Cible", exact=True).fill(format_decimal(leverage.value * 2))
    page.get_by_role("button", name="Enregistrer la cible").click()
    expect(page.get_by_role("status")).to_contain_text("Les couleurs des statuts suivront au prochain recalcul")
    leverage.refresh_from_db()
    assert leverage.status == "vert"  # not before the recompute

    form = page.locator("form.recompute-form")
    form.get_by_label("Du mois").fill(str(period))
    form.get_by_label("Au mois").fill(str(period))
    form.get_by_role("button", name="Recalculer").click()
    expect(page.locator(".recompute-status")).to_contain_text("Recalcul terminé : 1 mois à jour.")
    page.screenshot(path=str(artifacts_dir / "scorecard-5-director-recomputed.png"), full_page=True)

    page.get_by_role("link", name="Voir le tableau de bord").click()
    tile = page.locator(".kpi-tile", has_text="Effet de levier")
    expect(tile.locator(".badge")).to_have_text("Rouge")
    page.screenshot(path=str(artifacts_dir / "scorecard-6-director-after.png"), full_page=True)
