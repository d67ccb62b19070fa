from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    """queued → sending → sent, or back to queued after a temporary error, or failed."""

    QUEUED = "queued", _("En attente d'envoi")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    SENT = "sent", _("Accepté par le serveur de messagerie")
    RETRY = "retry", _("Erreur temporaire, nouvel essai prévu")
    FAILED = "failed", _("Erreur définitive")
    INTERRUPTED = "interrupted", _("Interrompue (processus arrêté)")
