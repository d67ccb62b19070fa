from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from innovaction.maintenance import history_purge, retention_cutoff


class Command(BaseCommand):
    help = "Supprime l'historique des modifications et les journaux de connexion plus anciens que la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Durée de conservation en mois (par défaut HISTORY_RETENTION_MONTHS).",
        )

    def handle(self, *args, months, **options):
        months = months or settings.HISTORY_RETENTION_MONTHS
        before = retention_cutoff(months)
        deleted = history_purge(before=before)
        total = sum(deleted.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} lignes antérieures au {timezone.localtime(before):%d/%m/%Y} supprimées "
                f"({months} mois conservés)."
            )
        )
        for table, count in deleted.items():
            if count:
                self.stdout.write(f"  {table} : {count}")
