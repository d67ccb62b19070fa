"""Writes of the outbox that callers use: queue a message under a key, resend one by hand.

    from innovaction.outbox.services import Attachment, outbox_enqueue

    outbox_enqueue(
        key=f"report:{period}:recipient:{recipient.pk}",
        to_email=recipient.email, to_name=recipient.name,
        subject=…, text_body=…, html_body=…,
        attachments=[Attachment(storage_name=report.file.name, filename="tableau-de-bord-2026-10.pdf")],
        requested_by=request.user,  # None when the scheduler asks
    )

Delivery happens in a Celery task once the caller's transaction commits (`delivery`).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.outbox.choices import OutboxStatus
from innovaction.outbox.models import (
    KEY_MAX_LENGTH,
    RESEND_SEPARATOR,
    OutboxAttachment,
    OutboxMessage,
    message_id_for,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file of the default storage to attach, by its storage name (`FieldFile.name`)."""

    storage_name: str
    filename: str
    content_type: str = "application/pdf"


def _message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "innovaction.invalid"


def _dispatch(message_id: int) -> None:
    """Queue the delivery task (called after commit, so the worker finds the row)."""
    from innovaction.outbox.tasks import deliver_outbox_message

    deliver_outbox_message.delay(message_id)


def dispatch_on_commit(message_id: int) -> None:
    # robust: a broker that is down must not turn the caller's committed request into an
    # error page; the sweep queues the task again once the row has waited too long.
    transaction.on_commit(lambda: _dispatch(message_id), robust=True)


# What a message says and to whom: copied as is by a resend.
CONTENT_FIELDS = ("to_email", "to_name", "user", "reply_to", "subject", "text_body", "html_body")


def _new_message(*, key: str, kind: str, requested_by, resend_of=None, **content) -> OutboxMessage:
    message = OutboxMessage(
        key=key,
        kind=kind,
        message_id=message_id_for(key, _message_id_domain()),
        requested_by=requested_by,
        resend_of=resend_of,
        dispatched_at=timezone.now(),
        **content,
    )
    message.full_clean(validate_unique=False, validate_constraints=False)
    return message


def _create(message: OutboxMessage, attachments: Sequence[Attachment]) -> OutboxMessage | None:
    """Insert the row and its attachments; None when another process inserted the key first."""
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            OutboxAttachment.objects.bulk_create(
                OutboxAttachment(
                    message=message,
                    storage_name=item.storage_name,
                    filename=item.filename,
                    content_type=item.content_type,
                )
                for item in attachments
            )
    except IntegrityError:
        if not OutboxMessage.objects.filter(key=message.key).exists():
            raise
        return None
    dispatch_on_commit(message.pk)
    return message


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    for item in attachments:
        if not default_storage.exists(item.storage_name):
            raise ValidationError(
                _("Pièce jointe introuvable dans le stockage : %(name)s."), params={"name": item.storage_name}
            )


def outbox_enqueue(
    *,
    key: str,
    to_email: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    to_name: str = "",
    user=None,
    reply_to: str = "",
    attachments: Sequence[Attachment] = (),
    requested_by=None,
) -> OutboxMessage:
    """Queue one e-mail under `key`, or return the row already stored under that key.

    The second call with a key sends nothing, whatever its other arguments: the key says what
    the message is ("report:2026-10:recipient:12", "reminder:stale:project:45:2026-W47").
    `user` links the message to an account ("Mes notifications"); when omitted, the active
    account with the same address is linked. Attachments are referenced, not copied: the
    stored files must stay until the message is sent.
    """
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(_("Clé trop longue (%(max)s caractères au plus)."), params={"max": KEY_MAX_LENGTH})
    if RESEND_SEPARATOR in key:
        raise ValidationError(_("Les renvois se demandent avec outbox_resend, pas avec une clé « :resend: »."))
    if user is None:
        user = get_user_model().objects.filter(email__iexact=to_email, is_active=True).first()
    _check_attachments(attachments)
    message = _new_message(
        key=key,
        kind=key.split(":", 1)[0][:50],
        requested_by=requested_by,
        to_email=to_email,
        to_name=to_name,
        user=user,
        reply_to=reply_to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
    )
    created = _create(message, attachments)
    return created or OutboxMessage.objects.get(key=key)


@transaction.atomic
def outbox_resend(*, message: OutboxMessage, by) -> OutboxMessage:
    """Send `message` again as a NEW message ("<original key>:resend:<n>", its own Message-ID),
    linked to the original and to the person who asked. The sent row is never reused."""
    # Locking the original serialises two people resending at once: each gets its own number.
    original = OutboxMessage.objects.select_for_update().get(pk=message.resend_of_id or message.pk)
    message = OutboxMessage.objects.get(pk=message.pk)  # its status now, not when the page was drawn
    if message.status in (OutboxStatus.QUEUED, OutboxStatus.SENDING):
        raise ValidationError(
            _("Ce message n'est pas encore parti : il sera envoyé sans qu'il soit besoin de le renvoyer.")
        )
    number = original.resends.count() + 1
    key = f"{original.key}{RESEND_SEPARATOR}{number}"
    copy = _new_message(
        key=key,
        kind=original.kind,
        requested_by=by,
        resend_of=original,
        **{field: getattr(message, field) for field in CONTENT_FIELDS},
    )
    attachments = [Attachment(a.storage_name, a.filename, a.content_type) for a in message.attachments.all()]
    _check_attachments(attachments)
    created = _create(copy, attachments)
    logger.info("outbox: %s resent as %s at the request of user %s", message.key, key, getattr(by, "pk", None))
    return created
