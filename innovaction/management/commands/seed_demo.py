from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo data exposes `<app>.demo.seed()`; order follows the dependencies.
DEMO_MODULES = ["innovaction.demo", "portfolio.demo", "partners.demo", "scorecard.demo"]


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (idempotent) et affiche les comptes de démo."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as error:
                    if error.name != name:
                        raise
                    continue
                result = module.seed()
                if name == "innovaction.demo":
                    logins = result
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes de démo :"))
        width = max(len(role) for role, _, _ in logins)
        for role, email, password in logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}  /  {password}")
