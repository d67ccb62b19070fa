"""Recipients, issued reports and the delivery of each report to each recipient.

The delivery log itself is the outbox's (`OutboxMessage` and its `OutboxAttempt` rows, plus
the messages resent by hand, linked by `resend_of`): a `ReportDelivery` ties one report and
one recipient to the original message, so the log reads per (period, recipient).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from innovaction.outbox.models import OutboxMessage
from scorecard.reports.choices import RecipientRole


class Recipient(models.Model):
    """Someone the monthly report is e-mailed to; managed by the director (SPEC §6)."""

    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("qualité"), max_length=20, choices=RecipientRole.choices, default=RecipientRole.ELECTED)
    is_active = models.BooleanField(
        _("actif"), default=True, help_text=_("Décochez pour ne plus lui envoyer le rapport sans perdre l'historique.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("destinataire du rapport")
        verbose_name_plural = _("destinataires du rapport")
        ordering = ["-is_active", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="report_recipient_email_unique",
                violation_error_message=_("Cette adresse reçoit déjà le rapport."),
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Report(models.Model):
    """An issued monthly report: the PDF as generated, with its checksum. Frozen once sent."""

    period = models.DateField(_("période"), unique=True, help_text=_("Premier jour du mois du rapport."))
    file = models.FileField(_("fichier PDF"), upload_to="rapports/", max_length=200)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("taille (octets)"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    render_ms = models.PositiveIntegerField(_("durée de génération (ms)"), default=0)
    generated_at = models.DateTimeField(_("généré le"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("généré par"),
        help_text=_("Vide : génération automatique."),
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )

    class Meta:
        verbose_name = _("rapport mensuel")
        verbose_name_plural = _("rapports mensuels")
        ordering = ["-period"]
        constraints = [models.CheckConstraint(condition=models.Q(period__day=1), name="report_period_first_day")]

    def __str__(self):
        return f"{self.period:%Y-%m}"

    def get_absolute_url(self):
        return reverse("scorecard:report_detail", args=[f"{self.period:%Y-%m}"])

    @property
    def filename(self) -> str:
        return f"tableau-de-bord-{self.period:%Y-%m}.pdf"


class ReportDelivery(models.Model):
    """Report × recipient → the outbox message that carries it (one per pair)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("rapport"))
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("destinataire")
    )
    message = models.OneToOneField(
        OutboxMessage, on_delete=models.PROTECT, related_name="report_delivery", verbose_name=_("e-mail")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("envoi du rapport")
        verbose_name_plural = _("envois du rapport")
        ordering = ["report", "recipient__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "recipient"], name="one_delivery_per_recipient")]

    def __str__(self):
        return f"{self.report} → {self.recipient.email}"
