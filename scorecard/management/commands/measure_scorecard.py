"""Measure what the performance criteria of the scorecard are about, on the data at hand
(e.g. after `generate_scale_data`; `make bench` measures more, see bench/): one month's recompute, and the dashboard as an elected
official and as the cabinet see it — wall time and number of queries."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innovaction.models import User
from innovaction.roles import Role
from innovaction.services import user_set_roles
from partners.models import FundingLine
from portfolio.models import Project
from scorecard import demo, services
from scorecard.periods import Period


def _timed(function, repeat: int) -> tuple[float, int]:
    """Median wall time (ms) over `repeat` runs, and the queries of the last run."""
    times, queries = [], 0
    for _run in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def _reader(role: Role) -> User:
    email = f"mesure.{role}@echelle.test"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, first_name="Mesure", last_name=str(role)
    )
    user_set_roles(user=user, roles=[role])
    return user


class Command(BaseCommand):
    help = gettext_lazy("Mesure le recalcul d'un mois et le tableau de bord (temps et nombre de requêtes).")

    def add_arguments(self, parser):
        parser.add_argument("--period", default=None, help=_("le mois mesuré, AAAA-MM (par défaut : le mois dernier)"))
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, period=None, repeat=5, **options):
        month = Period.parse(period) if period else Period.current().previous()
        demo.seed_structure()
        self.stdout.write(
            _("Données : %(projects)s projets, %(lines)s financements ; mois %(month)s.")
            % {"projects": Project.objects.count(), "lines": FundingLine.objects.count(), "month": month}
        )
        first_ms, first_queries = _timed(lambda: services.recompute_period(period=month), 1)
        again_ms, again_queries = _timed(lambda: services.recompute_period(period=month), repeat)
        self.stdout.write(
            _(
                "Recalcul du mois : %(first).0f ms et %(fq)s requêtes (premier), %(again).0f ms et %(aq)s requêtes (médiane des suivants)."
            )
            % {"first": first_ms, "fq": first_queries, "again": again_ms, "aq": again_queries}
        )
        for role in (Role.ELECTED, Role.CABINET):
            client = Client()
            client.force_login(_reader(role))
            url = f"/tableau-de-bord/?periode={month}"
            client.get(url)  # warm: organisation cache, templates
            ms, queries = _timed(lambda client=client, url=url: client.get(url), repeat)
            self.stdout.write(
                _("Tableau de bord (%(role)s) : %(ms).0f ms, %(queries)s requêtes (médiane de %(n)s).")
                % {"role": role.label, "ms": ms, "queries": queries, "n": repeat}
            )
