"""Phase changes of a project, and the director's decisions on the leads' proposals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovaction.lists import paginate
from innovaction.permissions import require, rule_required
from portfolio import permissions, workflow
from portfolio.choices import Phase, ProposalStatus
from portfolio.forms import AcceptForm, RefuseForm, TransitionForm
from portfolio.models import Project, TransitionProposal
from portfolio.selectors import page as page_selectors
from portfolio.services.phases import (
    project_transition,
    proposal_accept,
    proposal_refuse,
    proposal_submit,
    proposal_withdraw,
)
from portfolio.views.common import refuse_into
from portfolio.views.page import load


def _choices(user, project) -> list[tuple[str, str]]:
    choices = []
    for phase in workflow.allowed_targets(project):
        label = str(phase.label)
        if project.phase == Phase.SUSPENDU and phase != Phase.ABANDONNE:
            label = _("Reprendre : %(phase)s") % {"phase": label}
        if not permissions.can_move_directly(user, project, phase):
            label = _("%(phase)s — décision de la direction, à lui proposer") % {"phase": label}
        choices.append((phase.value, label))
    return choices


@require_http_methods(["GET", "POST"])
def project_phase(request, pk: int):
    project, _limits = load(request, pk, "edit")
    choices = _choices(request.user, project)
    form = TransitionForm(request.POST or None, choices=choices)
    pending = page_selectors.pending_proposal(project)
    if request.method == "POST" and form.is_valid():
        to_phase = Phase(form.cleaned_data["to_phase"])
        arguments = {
            "project": project,
            "to_phase": to_phase,
            "effective_date": form.cleaned_data["effective_date"],
            "by": request.user,
            "comment": form.cleaned_data["comment"],
        }
        try:
            if permissions.can_move_directly(request.user, project, to_phase):
                project_transition(**arguments)
                message = _("Le projet est passé en phase « %(phase)s ».") % {"phase": to_phase.label}
            else:
                proposal_submit(**arguments)
                message = _(
                    "Proposition envoyée à la direction : « %(phase)s ». Le projet changera de phase quand elle "
                    "l'aura validée."
                ) % {"phase": to_phase.label}
        except ValidationError as error:
            refuse_into(form, error)
        else:
            messages.success(request, message)
            return redirect(project)
    gated = [phase for phase, _label in choices if workflow.is_gated(phase)]
    context = {
        "project": project,
        "form": form,
        "pending": pending,
        "gates": {Phase(phase).label: workflow.gate_problems(project, phase) for phase in gated},
    }
    return render(request, "portfolio/project_phase.html", context)


def _proposal(request, pk: int) -> TransitionProposal:
    proposal = (
        TransitionProposal.objects.select_related("project", "proposed_by")
        .filter(project__in=Project.objects.visible_to(request.user), pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _decision_page(request, proposal, *, accept_form=None, refuse_form=None):
    context = {
        "proposal": proposal,
        "project": proposal.project,
        "accept_form": accept_form or AcceptForm(initial={"effective_date": proposal.effective_date}),
        "refuse_form": refuse_form or RefuseForm(),
    }
    return render(request, "portfolio/proposal_decide.html", context)


@require_http_methods(["GET", "POST"])
def proposal_accept_view(request, pk: int):
    proposal = _proposal(request, pk)
    require(permissions.can_validate_gates(request.user))
    form = AcceptForm(request.POST or None, initial={"effective_date": proposal.effective_date})
    if request.method == "POST" and form.is_valid():
        try:
            proposal_accept(
                proposal=proposal,
                by=request.user,
                effective_date=form.cleaned_data["effective_date"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            refuse_into(form, error)
        else:
            messages.success(
                request,
                _("Décision enregistrée : %(code)s passe en phase « %(phase)s ».")
                % {"code": proposal.project.code, "phase": proposal.get_to_phase_display()},
            )
            return redirect(proposal.project)
    return _decision_page(request, proposal, accept_form=form)


@require_http_methods(["GET", "POST"])
def proposal_refuse_view(request, pk: int):
    proposal = _proposal(request, pk)
    require(permissions.can_validate_gates(request.user))
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal_refuse(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            refuse_into(form, error)
        else:
            messages.success(request, _("Proposition refusée ; le motif est visible sur la page du projet."))
            return redirect(proposal.project)
    return _decision_page(request, proposal, refuse_form=form)


@require_POST
def proposal_withdraw_view(request, pk: int):
    proposal = _proposal(request, pk)
    require(permissions.can_withdraw(request.user, proposal))
    try:
        proposal_withdraw(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Proposition retirée."))
    return redirect(proposal.project)


@rule_required(permissions.can_validate_gates)
@require_GET
def proposal_list(request):
    visible = Project.objects.visible_to(request.user)
    proposals = TransitionProposal.objects.filter(project__in=visible).select_related(
        "project", "proposed_by", "decided_by"
    )
    pending = list(proposals.filter(status=ProposalStatus.PENDING).order_by("proposed_at", "pk"))
    decided = paginate(
        proposals.exclude(status=ProposalStatus.PENDING).order_by("-decided_at", "-pk"), request.GET.get("page")
    )
    return render(request, "portfolio/proposal_list.html", {"pending": pending, "decided": decided})
