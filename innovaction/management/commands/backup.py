from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from innovaction.maintenance import BackupError, backup_create


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers déposés dans une archive horodatée."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="Dossier de destination (par défaut VAR_DIR/backups)."
        )

    def handle(self, *args, output, **options):
        directory = output or Path(settings.VAR_DIR) / "backups"
        try:
            archive = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
