"""Writes of the monthly report: render, archive, send, resend; recipients.

Sending a month (`report_send`) is one transaction that holds the month's guard row
(`lock_month`) from the lock to the last queued e-mail, so two sends of the same month (the
scheduler retried, a director's click, the command) take turns: the second finds the report
sent and every recipient's message already queued under its key, and adds nothing. The outbox
does the rest: one message per `report:<YYYY-MM>:recipient:<id>` key, retried with backoff,
never sent twice by a retried or crashed worker (innovaction.outbox.delivery).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import time
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innovaction.calendar import first_working_day, is_first_working_day
from innovaction.outbox.choices import OutboxStatus
from innovaction.outbox.models import OutboxMessage
from innovaction.outbox.services import Attachment, outbox_enqueue, outbox_resend
from scorecard.periods import Period
from scorecard.reports.models import Recipient, Report, ReportDelivery
from scorecard.reports.selectors import ReportContent, active_recipients, headline_values, report_content
from scorecard.services.measurements import lock_month, period_lock

if TYPE_CHECKING:
    from innovaction.pdf import StaticFilesFetcher

logger = logging.getLogger(__name__)

REPORT_KIND = "report"
SEND_HOUR = 7  # 07:00 Europe/Paris, on the first working day of the month (SPEC §6)


def delivery_key(period: Period, recipient: Recipient) -> str:
    return f"{REPORT_KIND}:{period}:recipient:{recipient.pk}"


# Rendering ----------------------------------------------------------------------------------


@dataclass
class Rendered:
    content: ReportContent
    pdf: bytes
    sha256: str
    pages: int
    render_ms: int


_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _page_count(pdf: bytes) -> int:
    """Pages of a PDF written by WeasyPrint, whose objects sit in compressed object streams."""
    count = len(_PAGE.findall(pdf))
    for stream in _STREAM.findall(pdf):
        try:
            count += len(_PAGE.findall(zlib.decompress(stream)))
        except zlib.error:
            continue
    return count


def report_context(content: ReportContent, *, generated_by: str = "") -> dict:
    return {
        "pdf_title": _("Tableau de bord mensuel"),
        "pdf_period": content.period.label,
        "generated_by": generated_by,
        "content": content,
        "board": content.board,
        "period": content.period,
    }


def report_render(*, period: Period, by=None, fetcher: StaticFilesFetcher | None = None) -> Rendered:
    """The report of `period` as PDF bytes, timed from the first query to the last byte."""
    # WeasyPrint takes over a second to import: only the processes that render load it.
    from innovaction.pdf import render_pdf

    started = time.perf_counter()
    with translation.override(settings.LANGUAGE_CODE):
        content = report_content(period)
        name = by.get_full_name() if by is not None else _("envoi automatique")
        pdf = render_pdf("pdf/scorecard.html", report_context(content, generated_by=name), fetcher=fetcher)
    elapsed = round((time.perf_counter() - started) * 1000)
    logger.info("report %s rendered in %s ms (%s bytes)", period, elapsed, len(pdf))
    return Rendered(content, pdf, hashlib.sha256(pdf).hexdigest(), _page_count(pdf), elapsed)


def _check_closed(period: Period) -> None:
    if period >= Period.current():
        raise ValidationError(
            _("Le mois %(month)s n'est pas terminé : son rapport ne peut être émis qu'à partir du mois suivant.")
            % {"month": period.label}
        )


def _archive(period: Period, rendered: Rendered, by, report: Report | None) -> Report:
    """Store the PDF (a new file each time: an earlier one may still be attached to a
    message being sent) and record it; the replaced file goes once the change commits."""
    name = default_storage.save(
        f"rapports/{period.year}/tableau-de-bord-{period}-{rendered.sha256[:12]}.pdf", ContentFile(rendered.pdf)
    )
    previous = report.file.name if report is not None and report.file else ""
    report = report or Report(period=period.start)
    report.file.name = name
    report.sha256 = rendered.sha256
    report.size = len(rendered.pdf)
    report.pages = rendered.pages
    report.render_ms = rendered.render_ms
    report.generated_at = timezone.now()
    report.generated_by = by
    report.full_clean()
    report.save()
    if previous and previous != name:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return report


@transaction.atomic
def report_generate(*, period: Period, by=None) -> Report:
    """Render and archive the report of a closed month that has not been sent yet (a draft
    the director can read before sending). A sent report is never generated again."""
    _check_closed(period)
    lock_month(period)
    report = Report.objects.select_for_update().filter(period=period.start).first()
    if report is not None and report.sent_at is not None:
        raise ValidationError(_("Ce rapport a déjà été envoyé : il reste archivé tel qu'il est parti."))
    return _archive(period, report_render(period=period, by=by), by, report)


# Sending ------------------------------------------------------------------------------------


@dataclass
class SendOutcome:
    report: Report
    queued: int
    already: int
    generated: bool


def _bodies(content: ReportContent, recipient: Recipient) -> tuple[str, str]:
    context = {
        "recipient": recipient,
        "period": content.period,
        "content": content,
        "headlines": headline_values(content),
        "url": settings.SITE_URL.rstrip("/") + reverse("scorecard:report_detail", args=[str(content.period)]),
    }
    return (
        render_to_string("scorecard/reports/email/report.txt", context),
        render_to_string("scorecard/reports/email/report.html", context),
    )


@transaction.atomic
def report_send(*, period: Period, by=None) -> SendOutcome:
    """Lock the month, issue its report (rendered after the lock, so it shows the frozen
    values) and queue one e-mail per active recipient. Safe to call again: a sent report is
    kept as it is and recipients who already have their message get nothing new."""
    _check_closed(period)
    recipients = list(active_recipients())
    if not recipients:
        raise ValidationError(_("Aucun destinataire actif : ajoutez-en avant d'envoyer le rapport."))
    period_lock(period=period, by=by)  # joins this transaction: the month stays held until commit
    report = Report.objects.select_for_update().filter(period=period.start).first()
    content = None
    generated = report is None or report.sent_at is None
    if generated:
        rendered = report_render(period=period, by=by)
        content = rendered.content
        report = _archive(period, rendered, by, report)
        report.sent_at = timezone.now()
        report.sent_by = by
        report.save(update_fields=["sent_at", "sent_by"])
    delivered = set(report.deliveries.values_list("recipient_id", flat=True))
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Tableau de bord mensuel — %(month)s") % {"month": period.label}
        for recipient in recipients:
            if recipient.pk in delivered:
                continue
            content = content or report_content(period)
            text, html = _bodies(content, recipient)
            message = outbox_enqueue(
                key=delivery_key(period, recipient),
                to_email=recipient.email,
                to_name=recipient.name,
                subject=subject,
                text_body=text,
                html_body=html,
                attachments=[Attachment(storage_name=report.file.name, filename=report.filename)],
                requested_by=by,
            )
            ReportDelivery.objects.create(report=report, recipient=recipient, message=message)
            queued += 1
    logger.info("report %s: %s e-mail(s) queued, %s already", period, queued, len(delivered))
    return SendOutcome(report=report, queued=queued, already=len(delivered), generated=generated)


def delivery_resend(*, delivery: ReportDelivery, by) -> OutboxMessage:
    """Send the report to one recipient again, by hand: a new message linked to the first
    one and to the person who asked (the outbox logs it)."""
    return outbox_resend(message=delivery.message, by=by)


def can_be_resent(message: OutboxMessage) -> bool:
    return message.status in (OutboxStatus.SENT, OutboxStatus.FAILED)


# The schedule --------------------------------------------------------------------------------


def scheduled_send_at(period: Period) -> datetime.datetime:
    """When the scheduler sends the report of `period`: 07:00 Europe/Paris on the first
    working day of the following month (French public holidays are not working days)."""
    following = period.shift(1)
    day = first_working_day(following.year, following.month)
    return datetime.datetime.combine(day, datetime.time(SEND_HOUR), tzinfo=timezone.get_default_timezone())


def period_due_on(day: datetime.date) -> Period | None:
    """The month whose report is due on `day`: the previous month on the first working day."""
    return Period.of(day).previous() if is_first_working_day(day) else None


def report_send_scheduled(*, today: datetime.date | None = None) -> SendOutcome | None:
    """The beat task's service: runs every morning of the month's first days, acts on one."""
    period = period_due_on(today or timezone.localdate())
    if period is None:
        return None
    if not active_recipients().exists():
        logger.error("report %s: no active recipient, nothing sent", period)
        return None
    return report_send(period=period, by=None)


# Recipients ----------------------------------------------------------------------------------


def recipient_save(*, recipient: Recipient, **fields) -> Recipient:
    for name, value in fields.items():
        setattr(recipient, name, value)
    recipient.email = recipient.email.strip()
    if Recipient.objects.filter(email__iexact=recipient.email).exclude(pk=recipient.pk).exists():
        raise ValidationError({"email": _("Cette adresse reçoit déjà le rapport.")})
    recipient.full_clean(validate_constraints=False)
    recipient.save()
    return recipient
