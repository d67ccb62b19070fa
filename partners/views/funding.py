"""A project's funding plan and its funding lines: create, correct, change status, record
payments, download the convention."""

from decimal import Decimal
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.formatting import format_money
from innovaction.history import timeline
from innovaction.permissions import rule_required
from innovaction.uploads import ALLOWED, download_response
from partners import funding_flow, permissions, services
from partners.choices import FundingStatus
from partners.forms import DateForm, FundingLineEditForm, FundingLineForm, PaymentForm, TransitionForm, apply_errors
from partners.models import Instalment
from partners.project_hooks import funding_context, line_actions
from partners.views.common import project_page_url
from portfolio.permissions import get_project_for_user


def _plan_url(project) -> str:
    return reverse("partners:project_funding", args=[project.pk])


@require_GET
@rule_required(permissions.can_view_partners)
def project_funding(request, pk):
    """The funding plan's own page: the same panel as on the project page, on any date."""
    project = get_project_for_user(request.user, pk, "view")
    dates = DateForm(request.GET or None)
    as_of = dates.day()
    context = funding_context(request.user, project, as_of=as_of)
    context.update(
        {
            "dates": dates,
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "project_url": project_page_url(project),
            "plan_url": None,  # this page is the plan: no link to itself
        }
    )
    return render(request, "partners/project_funding.html", context)


@rule_required(permissions.can_view_partners)
def line_create(request, project_pk):
    project = get_project_for_user(request.user, project_pk, "edit")
    form = FundingLineForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.funding_line_create(
                project=project,
                partner=data["partner"],
                amount=data["amount"],
                scheme=data["scheme"],
                status=data["status"],
                requested_on=data["requested_on"],
                granted_on=data["granted_on"],
                paid_on=data["paid_on"],
                closed_on=data["closed_on"],
                expires_on=data["expires_on"],
                convention=data["convention"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Ligne de financement ajoutée au plan."))
            return redirect(_plan_url(project))
    return render(request, "partners/line_form.html", {"form": form, "project": project, "line": None})


@require_GET
@rule_required(permissions.can_view_partners)
def line_detail(request, pk):
    line = permissions.get_line_for_user(request.user, pk)
    instalments = list(line.instalments.order_by("date", "pk"))
    paid = sum((i.amount for i in instalments), Decimal("0.00"))
    editable = permissions.can_edit_funding(request.user, line.project)
    return render(
        request,
        "partners/line_detail.html",
        {
            "line": line,
            "instalments": instalments,
            "paid": paid,
            "remaining": line.amount - paid,
            "can_edit": editable,
            "actions": line_actions(line, line.amount - paid) if editable else [],
            "history": timeline(line.history.all(), Instalment.history.filter(funding_line_id=line.pk)),
            "project_url": project_page_url(line.project),
        },
    )


@rule_required(permissions.can_view_partners)
def line_edit(request, pk):
    line = permissions.get_line_for_user(request.user, pk, "edit")
    form = FundingLineEditForm(request.POST or None, request.FILES or None, line=line)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.funding_line_update(
                line=line,
                expected_version=data["version"],
                partner=data["partner"],
                amount=data["amount"],
                scheme=data["scheme"],
                requested_on=data["requested_on"],
                granted_on=data.get("granted_on"),
                closed_on=data.get("closed_on"),
                expires_on=data["expires_on"],
                convention=data["convention"],
                remove_convention=data.get("remove_convention", False),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Ligne de financement mise à jour."))
            return redirect("partners:line_detail", pk=line.pk)
    return render(request, "partners/line_form.html", {"form": form, "project": line.project, "line": line})


@rule_required(permissions.can_view_partners)
def line_transition(request, pk, status):
    """Move a line to `status`; `verse` records a payment (also on an already paid line)."""
    if status not in FundingStatus.values or status == FundingStatus.SOLLICITE:
        raise Http404
    line = permissions.get_line_for_user(request.user, pk, "edit")
    paying = status == FundingStatus.VERSE
    possible = status in funding_flow.allowed_moves(line.status) or (paying and line.status == FundingStatus.VERSE)
    remaining = line.amount - (line.instalments.aggregate(total=Sum("amount"))["total"] or 0)
    if not possible or (paying and remaining <= 0):
        messages.error(
            request,
            _("Cette ligne est « %(status)s » : l'action « %(action)s » n'est pas possible.")
            % {"status": line.get_status_display(), "action": funding_flow.ACTION_LABELS[status]},
        )
        return redirect("partners:line_detail", pk=line.pk)
    if paying:
        form = PaymentForm(request.POST or None, line=line, remaining=remaining)
    else:
        form = TransitionForm(request.POST or None, line=line, to_status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_line_transition(
                line=line,
                to_status=status,
                on=form.cleaned_data["date"],
                expected_version=form.cleaned_data["version"],
                amount=form.cleaned_data.get("amount"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _done_message(status, line, form.cleaned_data))
            return redirect(_plan_url(line.project))
    return render(
        request,
        "partners/line_transition.html",
        {"form": form, "line": line, "title": funding_flow.ACTION_LABELS[status], "status": status},
    )


def _done_message(status: str, line, data: dict) -> str:
    values = {"partner": line.partner.name, "date": data["date"].strftime("%d/%m/%Y")}
    if status == FundingStatus.VERSE:
        return _("Versement de %(amount)s du %(date)s enregistré (%(partner)s).") % {
            **values,
            "amount": format_money(data["amount"]),
        }
    messages_by_status = {
        FundingStatus.ACCORDE: _("Financement de %(partner)s marqué accordé le %(date)s."),
        FundingStatus.REFUSE: _("Demande à %(partner)s marquée refusée le %(date)s."),
        FundingStatus.CADUC: _("Financement de %(partner)s marqué caduc le %(date)s."),
    }
    return messages_by_status[FundingStatus(status)] % values


@rule_required(permissions.can_view_partners)
def line_delete(request, pk):
    line = permissions.get_line_for_user(request.user, pk, "edit")
    project = line.project
    if request.method == "POST":
        services.funding_line_delete(line=line)
        messages.success(request, _("Ligne de financement supprimée."))
        return redirect(_plan_url(project))
    return render(request, "partners/line_delete.html", {"line": line})


@require_GET
@rule_required(permissions.can_view_partners)
def line_convention(request, pk):
    line = permissions.get_line_for_user(request.user, pk)
    if not line.convention:
        raise Http404
    kind = ALLOWED.get(PurePath(line.convention.name).suffix.lstrip("."))
    mime = kind.mime if kind else "application/octet-stream"
    return download_response(line.convention, filename=line.convention_name or "convention", mime=mime)
