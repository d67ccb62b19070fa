from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from innovaction.maintenance import BackupError, backup_restore


class Command(BaseCommand):
    help = "Remplace la base de données et les fichiers déposés par ceux d'une sauvegarde."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Confirme le remplacement des données actuelles.")

    def handle(self, *args, archive, yes, **options):
        if not yes:
            raise CommandError(
                f"La restauration remplace toutes les données de la base « {connection.settings_dict['NAME']} » "
                "et tous les fichiers déposés. Relancez avec --yes pour confirmer."
            )
        try:
            manifest = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration vérifiée : {rows} lignes dans {len(manifest['tables'])} tables, "
                f"{len(manifest['media'])} fichiers (sauvegarde du {manifest['created_at']})."
            )
        )
