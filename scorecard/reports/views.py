"""Pages of the monthly report: the archive, one report (download, accessible HTML version,
delivery log), the director's actions (generate, send, resend) and the recipients."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovaction.lists import paginate
from innovaction.permissions import rule_required
from innovaction.uploads import download_response
from scorecard import permissions, tasks
from scorecard.forms import errors_to_form
from scorecard.periods import Period
from scorecard.reports import selectors, services
from scorecard.reports.forms import RecipientForm
from scorecard.reports.models import Recipient, ReportDelivery
from scorecard.reports.services import report_context
from scorecard.services import is_locked

readers = rule_required(permissions.can_read_reports)
director = rule_required(permissions.can_manage_reports)


def _period(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValidationError as error:
        raise Http404(_("Mois inconnu.")) from error


def _readable_report(request, period: Period):
    """The archived report of `period`: readers see sent reports; the director also drafts."""
    report = selectors.report_for(period)
    if report is None or (report.sent_at is None and not permissions.can_manage_reports(request.user)):
        raise Http404(_("Aucun rapport émis pour ce mois."))
    return report


@require_GET
@readers
def report_list(request):
    manage = permissions.can_manage_reports(request.user)
    context = {
        "page": paginate(selectors.report_archive(), request.GET.get("page")),
        "can_manage": manage,
        "pending_months": selectors.measured_months_without_report() if manage else [],
        "recipient_count": selectors.active_recipients().count() if manage else 0,
    }
    return render(request, "scorecard/reports/report_list.html", context)


@require_GET
@readers
def report_detail(request, period: str):
    month = _period(period)
    manage = permissions.can_manage_reports(request.user)
    report = selectors.report_for(month)
    if (report is None and not manage) or (report is not None and report.sent_at is None and not manage):
        raise Http404(_("Aucun rapport émis pour ce mois."))
    context = {
        "period": month,
        "report": report,
        "can_manage": manage,
        "closed": month < Period.current(),
        "locked": is_locked(month),
        "deliveries": selectors.delivery_log(report) if report is not None and manage else [],
        "recipients": list(selectors.active_recipients()) if manage else [],
        "scheduled_at": services.scheduled_send_at(month),
    }
    return render(request, "scorecard/reports/report_detail.html", context)


@require_GET
@readers
def report_html(request, period: str):
    """The accessible HTML version of the report: the same content as the PDF."""
    month = _period(period)
    if not permissions.can_manage_reports(request.user):
        _readable_report(request, month)
    elif month >= Period.current():
        raise Http404(_("Ce mois n'est pas terminé."))
    content = selectors.report_content(month)
    return render(request, "scorecard/reports/report_html.html", report_context(content))


@require_GET
@readers
def report_download(request, period: str):
    report = _readable_report(request, _period(period))
    if not report.file or not default_storage.exists(report.file.name):
        raise Http404(_("Ce fichier n'est plus disponible."))
    return download_response(report.file, filename=report.filename, mime="application/pdf")


def _on_commit(task, *args) -> None:
    transaction.on_commit(partial(task.delay, *args))


@require_POST
@director
def report_generate(request, period: str):
    month = _period(period)
    if month >= Period.current():
        messages.error(request, _("Ce mois n'est pas terminé : son rapport ne peut pas encore être émis."))
    else:
        _on_commit(tasks.generate_report, str(month), request.user.pk)
        messages.success(request, _("Le rapport de %(month)s est en cours de génération.") % {"month": month.label})
    return redirect("scorecard:report_detail", period=str(month))


@require_http_methods(["GET", "POST"])
@director
def report_send(request, period: str):
    """Confirm, then send: the month is locked and every active recipient gets one e-mail."""
    month = _period(period)
    recipients = list(selectors.active_recipients())
    if request.method == "POST":
        if month >= Period.current():
            messages.error(request, _("Ce mois n'est pas terminé : son rapport ne peut pas encore être envoyé."))
        elif not recipients:
            messages.error(request, _("Aucun destinataire actif : ajoutez-en avant d'envoyer le rapport."))
        else:
            _on_commit(tasks.send_report, str(month), request.user.pk)
            messages.success(
                request,
                _("Envoi du rapport de %(month)s lancé : le mois est verrouillé, suivez les envois ci-dessous.")
                % {"month": month.label},
            )
        return redirect("scorecard:report_detail", period=str(month))
    context = {"period": month, "recipients": recipients, "report": selectors.report_for(month)}
    return render(request, "scorecard/reports/report_send.html", context)


@require_http_methods(["GET", "POST"])
@director
def delivery_resend(request, pk: int):
    delivery = get_object_or_404(ReportDelivery.objects.select_related("report", "recipient", "message"), pk=pk)
    period = Period.of(delivery.report.period)
    if request.method == "POST":
        try:
            services.delivery_resend(delivery=delivery, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Le rapport est renvoyé à %(name)s ; le renvoi figure au journal.")
                % {"name": delivery.recipient.name},
            )
        return redirect("scorecard:report_detail", period=str(period))
    return render(request, "scorecard/reports/delivery_resend.html", {"delivery": delivery, "period": period})


# Recipients -----------------------------------------------------------------------------------


@require_GET
@director
def recipient_list(request):
    page = paginate(Recipient.objects.all(), request.GET.get("page"))
    return render(request, "scorecard/reports/recipient_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@director
def recipient_edit(request, pk: int | None = None):
    recipient = get_object_or_404(Recipient, pk=pk) if pk else Recipient()
    form = RecipientForm(request.POST or None, instance=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            services.recipient_save(recipient=form.instance)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Destinataire « %(name)s » enregistré.") % {"name": recipient.name})
            return redirect("scorecard:recipient_list")
    return render(request, "scorecard/reports/recipient_form.html", {"form": form, "object": recipient})
