"""What the outbox stores: one row per message to deliver, its attachments and its attempts."""

import hashlib

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovaction.outbox.choices import AttemptOutcome, OutboxStatus

KEY_MAX_LENGTH = 200
RESEND_SEPARATOR = ":resend:"

key_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.@+:-]*$",
    _("Clé invalide : lettres, chiffres et « _ . @ + : - » seulement, sans espace."),
)


def message_id_for(key: str, domain: str) -> str:
    """The Message-ID header of the message stored under `key`: always the same for a key.

    If a worker dies between the SMTP server's acceptance and our commit, the message is sent
    again on recovery; mail clients fold two messages with the same Message-ID into one.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<outbox.{digest}@{domain}>"


class OutboxMessage(models.Model):
    """An e-mail to deliver once, identified by a business key such as
    "report:2026-10:recipient:12". The key's unique constraint is the exactly-once guarantee:
    asking twice for the same key yields the same row. Status changes are conditional UPDATEs
    (a worker claims a row only if nobody else holds it), so this model keeps no
    simple-history table: its attempts (`OutboxAttempt`) are its history."""

    key = models.CharField(_("clé"), max_length=KEY_MAX_LENGTH + 50, validators=[key_validator])
    kind = models.CharField(_("type"), max_length=50, help_text=_("Première partie de la clé : report, reminder…"))
    to_email = models.EmailField(_("destinataire"))
    to_name = models.CharField(_("nom du destinataire"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur·rice destinataire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    reply_to = models.EmailField(_("répondre à"), blank=True)
    subject = models.CharField(_("objet"), max_length=250)
    text_body = models.TextField(_("texte"))
    html_body = models.TextField(_("version HTML"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250)

    status = models.CharField(_("statut"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("prochain essai à partir de"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("tâche d'envoi lancée le"), null=True, blank=True)
    lease_token = models.UUIDField(_("jeton du processus d'envoi"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("réservé jusqu'à"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("alerte émise le"), null=True, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : envoi automatique."),
    )
    resend_of = models.ForeignKey(
        "self",
        verbose_name=_("renvoi de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resends",
    )

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="outbox_message_key_unique"),
            models.UniqueConstraint(fields=["message_id"], name="outbox_message_id_unique"),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENDING)
                | Q(lease_token__isnull=False, lease_expires_at__isnull=False),
                name="outbox_sending_is_leased",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="outbox_status_lease_idx"),
            models.Index(fields=["user", "-created_at"], name="outbox_user_created_idx"),
            models.Index(fields=["kind", "-created_at"], name="outbox_kind_created_idx"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"

    @property
    def original_key(self) -> str:
        """The key of the first message of a resend chain."""
        return self.key.split(RESEND_SEPARATOR, 1)[0]


class OutboxAttachment(models.Model):
    """A file attached to an outbox message, referenced by its name in the default storage
    (the archived report PDF, for instance): the bytes stay in the storage, not the database."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(_("fichier stocké"), max_length=500)
    filename = models.CharField(_("nom de la pièce jointe"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, default="application/pdf")

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class OutboxAttempt(models.Model):
    """One attempt to hand a message to the SMTP server: the delivery log."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField(_("tentative n°"))
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    outcome = models.CharField(
        _("résultat"), max_length=20, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS
    )
    error = models.TextField(_("erreur"), blank=True)
    worker = models.CharField(_("processus"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tentative d'envoi")
        verbose_name_plural = _("tentatives d'envoi")
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="outbox_attempt_number_unique")]

    def __str__(self):
        return _("Tentative n° %(number)s") % {"number": self.number}
