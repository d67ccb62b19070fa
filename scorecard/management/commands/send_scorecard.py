from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scorecard.periods import Period
from scorecard.reports.selectors import active_recipients
from scorecard.reports.services import delivery_key, report_render, report_send


class Command(BaseCommand):
    help = gettext_lazy(
        "Émet et envoie le tableau de bord mensuel d'un mois terminé (--period AAAA-MM), comme le fait le "
        "planificateur : verrouille le mois, archive le PDF et envoie un e-mail par destinataire actif. "
        "Avec --dry-run, rien n'est verrouillé, archivé ni envoyé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help=gettext_lazy("le mois du rapport, AAAA-MM"))
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("générer le PDF et dire ce qui serait envoyé")
        )
        parser.add_argument("--output", help=gettext_lazy("avec --dry-run : écrire le PDF à ce chemin"))

    def handle(self, *args, period, dry_run=False, output=None, **options):
        try:
            month = Period.parse(period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if dry_run:
            return self._dry_run(month, output)
        try:
            outcome = report_send(period=month, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        report = outcome.report
        self.stdout.write(
            _(
                "Rapport %(month)s : %(pages)s pages, SHA-256 %(sha)s, généré en %(ms)s ms. "
                "%(queued)s e-mail(s) mis en file, %(already)s déjà envoyé(s) auparavant."
            )
            % {
                "month": month,
                "pages": report.pages,
                "sha": report.sha256,
                "ms": report.render_ms,
                "queued": outcome.queued,
                "already": outcome.already,
            }
        )

    def _dry_run(self, month: Period, output: str | None) -> None:
        if month >= Period.current():
            raise CommandError(_("Le mois %(month)s n'est pas terminé.") % {"month": month.label})
        rendered = report_render(period=month)
        if output:
            Path(output).write_bytes(rendered.pdf)
        self.stdout.write(
            _("Essai à blanc — rapport %(month)s : %(pages)s pages, %(size)s octets, généré en %(ms)s ms.")
            % {"month": month, "pages": rendered.pages, "size": len(rendered.pdf), "ms": rendered.render_ms}
        )
        recipients = list(active_recipients())
        if not recipients:
            self.stdout.write(_("Aucun destinataire actif : rien ne serait envoyé."))
        for recipient in recipients:
            self.stdout.write(f"  → {recipient.name} <{recipient.email}> ({delivery_key(month, recipient)})")
