"""What the harness measures: one registered entry per measure.

A page is `page(name, role=…, url=…, floor=…)`: who requests it, its URL for this dataset, the
URL of its floor (`bench/floors.py`, or None) and its target. A task (something that is not a
request: a recompute, a PDF) is `task(name, run=…, floor=…)`, where `run(context)` does the
work once and `floor(context)` returns a callable doing the bare minimum for comparison.

To measure a new page, add one `page(...)` line here (and a floor view if it lists rows).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from innovaction.roles import Role


@dataclass
class Context:
    """Facts of the dataset the URLs need: the scale, the measured month, a typical project."""

    scale: int
    period: str
    project_pk: int
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    name: str
    role: Role | None = None
    url: Callable[[Context], str] | None = None
    floor_url: Callable[[Context], str] | None = None
    run: Callable[[Context], None] | None = None
    floor_run: Callable[[Context], Callable[[], None]] | None = None
    paginated: bool = False
    target_p95_ms: float | None = None  # at 100×
    target_p95_ms_1x: float | None = None
    repeat: int | None = None  # timed runs; the harness's --requests when None
    compare_with: str | None = None  # a measure this one must not be slower than (p95)

    @property
    def is_page(self) -> bool:
        return self.url is not None


MEASURES: list[Measure] = []


def page(name: str, **options) -> None:
    MEASURES.append(Measure(name, **options))


def task(name: str, **options) -> None:
    MEASURES.append(Measure(name, **options))


# Pages --------------------------------------------------------------------------------------------

LIST_FILTER = "phase=instruction&phase=arbitrage&phase=realisation&sort=-cout&page=2"
ADMIN_FILTER = "phase=realisation&sort=code&par_page=100"

page(
    "project_list",
    role=Role.DIRECTOR,
    url=lambda c: f"/projets/?{LIST_FILTER}",
    floor_url=lambda c: f"/__plancher__/projets/?{LIST_FILTER}",
    paginated=True,
    target_p95_ms=150,
)
# The same rows as the admin's changelist below: one phase, sorted by code, 100 a page.
page(
    "project_list_100",
    role=Role.DIRECTOR,
    url=lambda c: f"/projets/?{ADMIN_FILTER}",
    floor_url=lambda c: f"/__plancher__/projets/?{ADMIN_FILTER}",
    paginated=True,
    target_p95_ms=150,
    compare_with="admin_project_changelist",
)
page(
    "admin_project_changelist",
    role=Role.ADMIN,
    url=lambda c: "/admin/portfolio/project/?phase__exact=realisation",
    floor_url=lambda c: f"/__plancher__/projets/?{ADMIN_FILTER}",
    paginated=True,
)
page(
    "project_page",
    role=Role.DIRECTOR,
    url=lambda c: f"/projets/{c.project_pk}/",
    floor_url=lambda c: f"/__plancher__/projets/{c.project_pk}/",
    target_p95_ms=150,
)
page(
    "partner_list",
    role=Role.LEAD,
    url=lambda c: "/partenaires/?sort=nom&page=2",
    floor_url=lambda c: "/__plancher__/partenaires/?page=2",
    paginated=True,
    target_p95_ms=150,
)
page(
    "partner_autocomplete",
    role=Role.LEAD,
    url=lambda c: "/partenaires/autocompletion/?q=maison%20atel",
    floor_url=lambda c: "/__plancher__/autocompletion/?q=maison%20atel",
    target_p95_ms=50,
)
page(
    "cabinet_dashboard",
    role=Role.CABINET,
    url=lambda c: f"/tableau-de-bord/?periode={c.period}",
    floor_url=lambda c: f"/__plancher__/tableau-de-bord/?periode={c.period}",
    target_p95_ms=300,
)
page(
    "indicator_page",
    role=Role.CABINET,
    url=lambda c: f"/tableau-de-bord/indicateurs/PROC-FILE-ACTIVE/?periode={c.period}",
    floor_url=lambda c: f"/__plancher__/indicateurs/PROC-FILE-ACTIVE/?periode={c.period}",
    paginated=True,
)
# The list page's filters and sort through the REST API; 10 rows a page, so that page 2 exists
# at 1× too (22 projects there: the API answers 404 past the last page, the list page does not).
API_FILTER = f"{LIST_FILTER}&par_page=10"
page(
    "api_project_list",
    role=Role.DIRECTOR,
    url=lambda c: f"/api/v1/projects/?{API_FILTER}",
    floor_url=lambda c: f"/__plancher__/projets/?{API_FILTER}",
    paginated=True,
)


# Tasks --------------------------------------------------------------------------------------------


def _recompute(context: Context) -> None:
    from scorecard.periods import Period
    from scorecard.services import recompute_period

    recompute_period(period=Period.parse(context.period))


def _recompute_floor(context: Context) -> Callable[[], None]:
    """The SQL aggregates the KPI registry sends for the month, replayed as raw SQL: no ORM,
    no Python around them, no writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scorecard import kpis
    from scorecard.periods import Period

    with CaptureQueriesContext(connection) as captured:
        kpis.compute_all(Period.parse(context.period), set(kpis.REGISTRY))
    statements = [query["sql"] for query in captured.captured_queries]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return replay


task(
    "kpi_recompute_month",
    run=_recompute,
    floor_run=_recompute_floor,
    target_p95_ms=2000,
    repeat=20,
)


def _monthly_pdf(context: Context) -> None:
    """The monthly report of the measured month, from the first query to the PDF's last byte
    (what `send_scorecard` attaches); nothing is archived or sent."""
    from scorecard.periods import Period
    from scorecard.reports.services import report_render

    report_render(period=Period.parse(context.period))


task(
    "monthly_pdf",
    run=_monthly_pdf,
    target_p95_ms=10_000,
    target_p95_ms_1x=3_000,
    repeat=10,
)
