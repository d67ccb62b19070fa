from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scorecard.periods import Period
from scorecard.services import recompute_period
from scorecard.services.recompute import check_range


class Command(BaseCommand):
    help = _(
        "Recalcule les indicateurs calculés d'un mois (--period AAAA-MM) ou de chaque mois depuis un mois "
        "jusqu'au mois en cours (--since AAAA-MM). Les mois verrouillés ne changent pas."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--period", help=_("le mois à recalculer, AAAA-MM"))
        group.add_argument("--since", help=_("le premier mois à recalculer, AAAA-MM (jusqu'au mois en cours)"))

    def handle(self, *args, period=None, since=None, **options):
        try:
            first = Period.parse(period or since)
            last = first if period else Period.current()
            check_range(first, last)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for month in first.until(last):
            outcome = recompute_period(period=month)
            if outcome.locked:
                self.stdout.write(_("%(period)s : mois verrouillé, valeurs inchangées") % {"period": month})
            else:
                self.stdout.write(
                    _("%(period)s : %(created)s créées, %(updated)s mises à jour, %(unchanged)s inchangées")
                    % {
                        "period": month,
                        "created": outcome.created,
                        "updated": outcome.updated,
                        "unchanged": outcome.unchanged,
                    }
                )
        self.stdout.write(self.style.SUCCESS(_("Recalcul terminé.")))
