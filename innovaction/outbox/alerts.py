"""What happens when a message is given up: an alert, once per failed message.

Each kind of message (the first part of its key) may register its own alert, e.g. the
monthly report:

    from innovaction.outbox.alerts import register_failure_alert
    register_failure_alert("report", alert_report_failure)   # called with the OutboxMessage

Kinds without one use `alert_directors`: an e-mail, through the outbox itself, to every
active user holding the director role. An alert that raises is tried again by the sweep.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innovaction.models import Organisation, User
from innovaction.outbox.choices import OutboxStatus
from innovaction.outbox.models import OutboxMessage
from innovaction.roles import Role

logger = logging.getLogger(__name__)

ALERT_KIND = "alert"

FailureAlert = Callable[[OutboxMessage], None]
_ALERTS: dict[str, FailureAlert] = {}


def register_failure_alert(kind: str, alert: FailureAlert) -> None:
    """Use `alert(message)` instead of the default for failed messages of `kind`."""
    _ALERTS[kind] = alert


def alert_directors(message: OutboxMessage) -> None:
    """E-mail the directors that `message` could not be delivered (one alert each, by key)."""
    from innovaction.outbox.services import outbox_enqueue

    if message.kind == ALERT_KIND:
        logger.error("outbox: the alert %s could not be delivered either; not alerting about it", message.key)
        return
    directors = list(User.objects.with_role(Role.DIRECTOR).order_by("pk"))
    if not directors:
        logger.error("outbox: message %s failed and no active director can be alerted", message.key)
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "message": message,
            "attempts": list(message.delivery_attempts.all()),
            "organisation": Organisation.current(),
        }
        subject = _("Échec d'envoi d'un e-mail à %(recipient)s") % {"recipient": message.to_email}
        body = render_to_string("innovaction/outbox/failure_alert.txt", context)
    for director in directors:
        outbox_enqueue(
            key=f"{ALERT_KIND}:failed:{message.pk}:user:{director.pk}",
            to_email=director.email,
            to_name=director.get_full_name(),
            user=director,
            subject=subject,
            text_body=body,
        )


def run_failure_alert(message_id: int) -> bool:
    """Raise the alert of a failed message unless it was raised already; True when raised."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.FAILED, alerted_at__isnull=True).first()
    if message is None:
        return False
    alert = _ALERTS.get(message.kind, alert_directors)
    try:
        with transaction.atomic():
            alert(message)
            OutboxMessage.objects.filter(pk=message_id).update(alerted_at=timezone.now())
    except Exception:
        logger.exception("outbox: the failure alert of message %s raised; the sweep will try again", message_id)
        return False
    return True
