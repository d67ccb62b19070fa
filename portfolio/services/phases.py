"""Phase changes: made directly when ungated, proposed by a lead and decided by the director
when gated (SPEC §3.2). The rules of the moves themselves are `portfolio.workflow`'s."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.models import User
from portfolio import permissions, workflow
from portfolio.choices import Phase, ProposalStatus
from portfolio.models import PhaseTransition, Project, TransitionProposal


@transaction.atomic
def project_transition(
    *, project: Project, to_phase: Phase, effective_date: datetime.date, by: User, comment: str = ""
) -> PhaseTransition:
    """Move the project now. A gated move is a decision: only the director makes it; a pending
    proposal of the same move is then settled as validated."""
    if not permissions.can_move_directly(by, project, to_phase):
        raise PermissionDenied
    row = workflow.transition(project, to_phase=to_phase, effective_date=effective_date, by=by, comment=comment)
    pending = TransitionProposal.objects.select_for_update().filter(
        project=project, status=ProposalStatus.PENDING, to_phase=to_phase
    )
    for proposal in pending:
        _decide(proposal, status=ProposalStatus.ACCEPTED, by=by, comment=comment)
    return row


@transaction.atomic
def proposal_submit(
    *, project: Project, to_phase: Phase, effective_date: datetime.date, by: User, comment: str = ""
) -> TransitionProposal:
    """A lead asks the director for a decision (go, evaluation recorded, no-go/abandon). The
    move must be valid today, gates included, so the director is not asked in vain."""
    if not permissions.can_propose(by, project) or not workflow.is_gated(to_phase):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.proposals.filter(status=ProposalStatus.PENDING).exists():
        raise ValidationError(
            _("Une proposition attend déjà la décision de la direction pour ce projet : retirez-la d'abord.")
        )
    workflow.check_transition(project, to_phase, effective_date, comment=comment)
    proposal = TransitionProposal(
        project=project, to_phase=to_phase, effective_date=effective_date, comment=comment, proposed_by=by
    )
    proposal.full_clean()
    proposal._history_user = by
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as error:  # the one-pending constraint, under a concurrent submission
        raise ValidationError(_("Une proposition attend déjà la décision de la direction pour ce projet.")) from error
    return proposal


def _pending(proposal: TransitionProposal) -> TransitionProposal:
    locked = TransitionProposal.objects.select_for_update().select_related("project").get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(
            _("Cette proposition a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def _decide(proposal: TransitionProposal, *, status: ProposalStatus, by: User, comment: str) -> None:
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment
    proposal._history_user = by
    proposal.save()


@transaction.atomic
def proposal_accept(
    *,
    proposal: TransitionProposal,
    by: User,
    effective_date: datetime.date | None = None,
    comment: str = "",
) -> PhaseTransition:
    """The director validates: the move is made, dated as proposed unless they set the date."""
    if not permissions.can_validate_gates(by):
        raise PermissionDenied
    proposal = _pending(proposal)
    reasons = "\n".join(text for text in (proposal.comment, comment) if text.strip())
    row = workflow.transition(
        proposal.project,
        to_phase=proposal.to_phase,
        effective_date=effective_date or proposal.effective_date,
        by=by,
        comment=reasons,
    )
    _decide(proposal, status=ProposalStatus.ACCEPTED, by=by, comment=comment)
    return row


@transaction.atomic
def proposal_refuse(*, proposal: TransitionProposal, by: User, reason: str) -> TransitionProposal:
    if not permissions.can_validate_gates(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus : la cheffe ou le chef de projet le lira.")})
    proposal = _pending(proposal)
    _decide(proposal, status=ProposalStatus.REJECTED, by=by, comment=reason)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: TransitionProposal, by: User) -> TransitionProposal:
    if not permissions.can_withdraw(by, proposal):
        raise PermissionDenied
    proposal = _pending(proposal)
    _decide(proposal, status=ProposalStatus.WITHDRAWN, by=by, comment="")
    return proposal
