"""`python manage.py import_data KIND FILE [--dry-run]`: the spreadsheet import by command.

The report goes to stdout; the exit code is 1 when the file is refused (nothing written)."""

from django.core.management.base import BaseCommand, CommandError

from innovaction.importing import KINDS, importer_class, run_import
from innovaction.models import User
from innovaction.roles import Role


class Command(BaseCommand):
    help = "Importe un fichier CSV ou XLSX (projets, partenaires, financements, indicateurs)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help="Type de données importées.")
        parser.add_argument("file", help="Fichier CSV ou XLSX.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien écrire.")
        parser.add_argument(
            "--user",
            help="Adresse e-mail de la personne qui importe (historique) ; par défaut le premier compte "
            "administrateur actif.",
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        importer = importer_class(kind)(user=self._user(user))
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Lecture impossible de {file} : {error.strerror}") from error
        report = run_import(importer, data, dry_run=dry_run)
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError("Import refusé : voir le rapport ci-dessus.", returncode=1)

    def _user(self, email: str | None) -> User:
        if email:
            found = User.objects.filter(email__iexact=email, is_active=True).first()
            if found is None:
                raise CommandError(f"Aucun utilisateur actif n'a l'adresse {email}.")
            return found
        found = (
            User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
            or User.objects.with_role(Role.ADMIN).filter(is_active=True).order_by("pk").first()
        )
        if found is None:
            raise CommandError("Aucun compte administrateur actif : indiquez --user ADRESSE.")
        return found
