"""Delivery of outbox messages: claim, send, record; recovery of rows left by dead workers.

The sequence for one message, each step in its own short transaction:

1. claim: a conditional UPDATE turns `queued` into `sending` with a fresh lease token and
   expiry, and opens an attempt row. Only one worker can win it.
2. send through the default mailer, outside any transaction, while a heartbeat thread
   renews the lease: a live worker never loses the message, however slow the SMTP server.
3. right after the server accepted it: `sent`. On a temporary SMTP or network error: back to
   `queued` with the next attempt time (exponential backoff); on a permanent error or after
   the last attempt: `failed`, and the failure alert runs.

A worker killed between 1 and 3 leaves `sending` with a lease nobody renews; once expired,
the row goes back to `queued` (its attempt is marked interrupted) — by the redelivered task
or by the periodic sweep — and is sent by another worker. The deterministic Message-ID covers
the only window left: killed after the server's acceptance and before our commit.
"""

import logging
import os
import smtplib
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr

from django.core import mail
from django.core.files.storage import default_storage
from django.db import DatabaseError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.outbox import conf
from innovaction.outbox.alerts import run_failure_alert
from innovaction.outbox.choices import AttemptOutcome, OutboxStatus
from innovaction.outbox.models import OutboxAttempt, OutboxMessage
from innovaction.outbox.services import dispatch_on_commit

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 2000


@dataclass(frozen=True)
class DeliveryResult:
    """What the task does next: nothing (sent, failed or not ours), or retry after a delay."""

    outcome: str
    retry_in: timedelta | None = None


SKIPPED = "skipped"


@dataclass(frozen=True)
class _Claim:
    token: uuid.UUID
    attempt_id: int
    number: int


def worker_name() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]


def is_permanent(error: BaseException) -> bool:
    """5xx replies will not change by retrying; 4xx replies and network errors may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


# Recovery ------------------------------------------------------------------------------------


def _close_open_attempts(message_id: int, now: datetime) -> None:
    OutboxAttempt.objects.filter(message_id=message_id, outcome=AttemptOutcome.IN_PROGRESS).update(
        outcome=AttemptOutcome.INTERRUPTED,
        finished_at=now,
        error=_("Le processus d'envoi s'est arrêté avant de rendre compte (bail expiré)."),
    )


def recover_expired(message_id: int) -> str | None:
    """Take back a row whose sending worker died (its lease expired): queued again, or failed
    when that was its last attempt. Returns the new status, or None if nothing was expired."""
    now = timezone.now()
    expired = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING, lease_expires_at__lt=now)
    with transaction.atomic():
        attempts = expired.select_for_update(skip_locked=True).values_list("attempts", flat=True).first()
        if attempts is None:
            return None
        _close_open_attempts(message_id, now)
        error = _("Envoi interrompu : le processus d'envoi s'est arrêté (bail expiré).")
        if attempts >= conf.value("OUTBOX_MAX_ATTEMPTS"):
            expired.update(
                status=OutboxStatus.FAILED, failed_at=now, lease_token=None, lease_expires_at=None, last_error=error
            )
            status = OutboxStatus.FAILED
        else:
            expired.update(
                status=OutboxStatus.QUEUED,
                next_attempt_at=now,
                dispatched_at=now,
                lease_token=None,
                lease_expires_at=None,
                last_error=error,
            )
            status = OutboxStatus.QUEUED
    logger.warning("outbox: message %s recovered from a dead worker → %s", message_id, status)
    if status == OutboxStatus.FAILED:
        run_failure_alert(message_id)
    return status


# Claim and finish ----------------------------------------------------------------------------


@transaction.atomic
def _claim(message_id: int, worker: str) -> _Claim | None:
    now = timezone.now()
    token = uuid.uuid4()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.QUEUED, next_attempt_at__lte=now).update(
        status=OutboxStatus.SENDING,
        lease_token=token,
        lease_expires_at=now + conf.seconds("OUTBOX_LEASE_SECONDS"),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    number = OutboxMessage.objects.values_list("attempts", flat=True).get(pk=message_id)
    attempt = OutboxAttempt.objects.create(message_id=message_id, number=number, started_at=now, worker=worker[:200])
    return _Claim(token=token, attempt_id=attempt.pk, number=number)


def _finish_sent(message_id: int, claim: _Claim) -> None:
    """Record the acceptance at once. The mail is out: a passing database hiccup must not
    leave the row "sending", or recovery would send it a second time."""
    for pause in (0.5, 1, 2, None):
        try:
            now = timezone.now()
            with transaction.atomic():
                OutboxMessage.objects.filter(pk=message_id).update(
                    status=OutboxStatus.SENT, sent_at=now, lease_token=None, lease_expires_at=None, last_error=""
                )
                OutboxAttempt.objects.filter(pk=claim.attempt_id).update(outcome=AttemptOutcome.SENT, finished_at=now)
            return
        except OperationalError:
            if pause is None:
                raise
            logger.warning("outbox: could not record message %s as sent, retrying", message_id, exc_info=True)
            connections["default"].close()
            time.sleep(pause)


def _finish_error(message_id: int, claim: _Claim, error: BaseException, *, permanent: bool) -> DeliveryResult:
    now = timezone.now()
    text = _describe(error)
    last = permanent or claim.number >= conf.value("OUTBOX_MAX_ATTEMPTS")
    ours = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING, lease_token=claim.token)
    with transaction.atomic():
        if last:
            updated = ours.update(
                status=OutboxStatus.FAILED, failed_at=now, lease_token=None, lease_expires_at=None, last_error=text
            )
            delay = None
        else:
            delay = conf.retry_delay(claim.number)
            updated = ours.update(
                status=OutboxStatus.QUEUED,
                next_attempt_at=now + delay,
                dispatched_at=now,
                lease_token=None,
                lease_expires_at=None,
                last_error=text,
            )
        OutboxAttempt.objects.filter(pk=claim.attempt_id).update(
            outcome=AttemptOutcome.FAILED if last else AttemptOutcome.RETRY, finished_at=now, error=text
        )
    if not updated:
        # Our lease was taken back (the heartbeat could not reach the database): the row is
        # someone else's now and they will report on it.
        logger.error("outbox: message %s was no longer held by this worker after: %s", message_id, text)
        return DeliveryResult(SKIPPED)
    if last:
        logger.error("outbox: message %s failed for good after %s attempt(s): %s", message_id, claim.number, text)
        run_failure_alert(message_id)
        return DeliveryResult(OutboxStatus.FAILED)
    logger.warning("outbox: message %s attempt %s failed, next in %s: %s", message_id, claim.number, delay, text)
    return DeliveryResult(OutboxStatus.QUEUED, retry_in=delay)


# Sending -------------------------------------------------------------------------------------


class _LeaseKeeper:
    """Renews the lease of a claimed row every third of its length while the mail is sent."""

    def __init__(self, message_id: int, token: uuid.UUID):
        self.message_id = message_id
        self.token = token
        self.lease = conf.seconds("OUTBOX_LEASE_SECONDS")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"outbox-lease-{message_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.lease.total_seconds() / 3):
                try:
                    OutboxMessage.objects.filter(
                        pk=self.message_id, status=OutboxStatus.SENDING, lease_token=self.token
                    ).update(lease_expires_at=timezone.now() + self.lease)
                except DatabaseError:
                    logger.warning("outbox: could not renew the lease of message %s", self.message_id, exc_info=True)
        finally:
            connections.close_all()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()


def build_email(message: OutboxMessage) -> mail.EmailMultiAlternatives:
    email = mail.EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        to=[formataddr((message.to_name, message.to_email))],
        reply_to=[message.reply_to] if message.reply_to else None,
        # Auto-Submitted keeps out-of-office robots from answering (RFC 3834).
        headers={"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        with default_storage.open(attachment.storage_name, "rb") as stored:
            email.attach(attachment.filename, stored.read(), attachment.content_type)
    return email


def outbox_deliver(*, message_id: int, worker: str = "") -> DeliveryResult:
    """Try to send one message; safe to call any number of times, from any number of workers."""
    recover_expired(message_id)
    claim = _claim(message_id, worker or worker_name())
    if claim is None:
        return DeliveryResult(SKIPPED)
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        email = build_email(message)
    except (OSError, ValueError) as error:  # a missing attachment or a bad header will not mend by itself
        return _finish_error(message_id, claim, error, permanent=True)
    try:
        with _LeaseKeeper(message_id, claim.token):
            sent = mail.mailers.default.send_messages([email])
        if sent != 1:
            raise smtplib.SMTPException(_("Le serveur de messagerie n'a rien accepté."))
    except (smtplib.SMTPException, OSError) as error:
        return _finish_error(message_id, claim, error, permanent=is_permanent(error))
    _finish_sent(message_id, claim)
    return DeliveryResult(OutboxStatus.SENT)


# Periodic sweep ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepReport:
    recovered: int
    redispatched: int
    alerted: int


def outbox_sweep() -> SweepReport:
    """Run every minute by Celery beat: take back rows of dead workers, queue a task again for
    rows whose task was lost, raise alerts that could not be raised at the time."""
    now = timezone.now()
    batch = conf.value("OUTBOX_SWEEP_BATCH")
    recovered = 0
    expired = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, lease_expires_at__lt=now)
    for message_id in expired.values_list("pk", flat=True)[:batch]:
        if recover_expired(message_id) == OutboxStatus.QUEUED:
            dispatch_on_commit(message_id)
            recovered += 1

    stale = now - conf.seconds("OUTBOX_STALE_AFTER_SECONDS")
    lost = Q(status=OutboxStatus.QUEUED, next_attempt_at__lt=stale) & (
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale)
    )
    redispatched = 0
    for message_id in list(OutboxMessage.objects.filter(lost).values_list("pk", flat=True)[:batch]):
        # Conditional, so two sweeps running at once queue one task, not two.
        if OutboxMessage.objects.filter(lost, pk=message_id).update(dispatched_at=now):
            dispatch_on_commit(message_id)
            redispatched += 1

    unalerted = OutboxMessage.objects.filter(status=OutboxStatus.FAILED, alerted_at__isnull=True)
    alerted = sum(run_failure_alert(message_id) for message_id in unalerted.values_list("pk", flat=True)[:batch])
    return SweepReport(recovered=recovered, redispatched=redispatched, alerted=alerted)
