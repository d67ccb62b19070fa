import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bench.generate import generate_portfolio
from portfolio.models import Project


class Command(BaseCommand):
    help = gettext_lazy(
        "Ajoute des données synthétiques en volume (projets, historique des phases, jalons, points "
        "d'avancement, partenaires, financements, interactions) pour mesurer les performances. PostgreSQL conseillé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10_000)
        parser.add_argument("--funding-lines", type=int, default=50_000)
        parser.add_argument("--partners", type=int, default=None)
        parser.add_argument("--interactions", type=int, default=None)
        parser.add_argument("--prefix", default="S", help="préfixe des codes de projet (un lot par préfixe)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, projects, funding_lines, partners, interactions, prefix, seed, **options):
        if Project.objects.filter(code__startswith=f"{prefix}-").exists():
            raise CommandError(
                _("Des projets « %(prefix)s-… » existent déjà : choisissez un autre --prefix.") % {"prefix": prefix}
            )
        started = time.perf_counter()
        made = generate_portfolio(
            projects=projects,
            funding_lines=funding_lines,
            partners=partners,
            interactions=interactions,
            prefix=prefix,
            seed=seed,
        )
        self.stdout.write(
            _(
                "%(projects)s projets, %(transitions)s changements de phase, %(milestones)s jalons, %(notes)s points "
                "d'avancement, %(partners)s partenaires, %(lines)s financements, %(interactions)s interactions en "
                "%(seconds).1f s."
            )
            % {
                "projects": made.projects,
                "transitions": made.transitions,
                "milestones": made.milestones,
                "notes": made.notes,
                "partners": made.partners,
                "lines": made.funding_lines,
                "interactions": made.interactions,
                "seconds": time.perf_counter() - started,
            }
        )
