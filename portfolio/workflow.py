"""The phase machine of SPEC §3.2 and the lead-time maths, in one module.

- `EDGES` lists the allowed moves; `GATED` the ones the director decides (a lead proposes).
- `transition()` is the only writer of `PhaseTransition` rows and of `Project.phase` /
  `phase_since`: it checks the edge, the date (past allowed, never in the future nor before
  the previous change) and the gates, then writes both in one transaction.
- Gates other apps contribute (the funding plan lives in `partners`) are registered with
  `register_gate_check()` from their AppConfig.ready(), so this module imports none of them.
- Lead times are computed from the transition log only (`LeadTimes.from_transitions`).
"""

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.choices import ACTIVE_PHASES, OPEN_PHASES_ORDER, ORDERED_PHASES, Phase

EDGES: dict[Phase, set[Phase]] = {
    Phase.COMMANDE: {Phase.INSTRUCTION, Phase.SUSPENDU, Phase.ABANDONNE},
    Phase.INSTRUCTION: {Phase.ARBITRAGE, Phase.SUSPENDU, Phase.ABANDONNE},
    # From arbitrage the decision is "go" (realisation) or "no-go" (abandonne).
    Phase.ARBITRAGE: {Phase.REALISATION, Phase.SUSPENDU, Phase.ABANDONNE},
    Phase.REALISATION: {Phase.LIVRE, Phase.SUSPENDU, Phase.ABANDONNE},
    Phase.LIVRE: {Phase.EVALUE},
    Phase.EVALUE: set(),
    # A suspended file resumes where it was (checked in allowed_targets) or is abandoned.
    Phase.SUSPENDU: {Phase.ABANDONNE, *ACTIVE_PHASES},
    Phase.ABANDONNE: set(),
}

# Moves that are decisions: only the director makes them; a lead may propose them.
GATED = {Phase.REALISATION, Phase.EVALUE, Phase.ABANDONNE}

OPEN_PHASES = set(OPEN_PHASES_ORDER)

GateCheck = Callable[[object], str | None]
_GATE_CHECKS: dict[Phase, list[GateCheck]] = {phase: [] for phase in Phase}


def register_gate_check(phase: Phase, check: GateCheck) -> None:
    """Add a condition to entering `phase`: `check(project)` returns a French reason or None."""
    if check not in _GATE_CHECKS[phase]:
        _GATE_CHECKS[phase].append(check)


def _total_cost_entered(project) -> str | None:
    if not project.total_cost or project.total_cost <= 0:
        return _("le coût total du projet doit être renseigné avant la décision")
    return None


def _evaluation_written(project) -> str | None:
    if not (project.evaluation or "").strip():
        return _("l'évaluation ex post doit être rédigée")
    return None


register_gate_check(Phase.REALISATION, _total_cost_entered)
register_gate_check(Phase.EVALUE, _evaluation_written)


def resume_phase(project) -> Phase | None:
    """For a suspended project, the phase it was suspended from."""
    if project.phase != Phase.SUSPENDU:
        return None
    last = project.transitions.filter(to_phase=Phase.SUSPENDU).order_by("-effective_date", "-pk").first()
    return Phase(last.from_phase) if last else None


def allowed_targets(project) -> list[Phase]:
    """The phases `project` may move to now, in display order."""
    targets = set(EDGES[Phase(project.phase)])
    if project.phase == Phase.SUSPENDU:
        targets = {Phase.ABANDONNE} | ({resume_phase(project)} - {None})
    order = [*ORDERED_PHASES, Phase.SUSPENDU, Phase.ABANDONNE]
    return [phase for phase in order if phase in targets]


def is_gated(to_phase: Phase) -> bool:
    return Phase(to_phase) in GATED


def gate_problems(project, to_phase: Phase) -> list[str]:
    """Why `project` may not enter `to_phase` yet (empty when every gate is open)."""
    return [reason for check in _GATE_CHECKS[Phase(to_phase)] if (reason := check(project))]


def check_transition(
    project, to_phase: Phase, effective_date: datetime.date, *, comment: str = "", enforce_gates: bool = True
) -> None:
    """Raise ValidationError (French, per field) unless the move is allowed now."""
    to_phase = Phase(to_phase)
    errors: dict[str, list[str]] = {}
    if to_phase not in allowed_targets(project):
        allowed = ", ".join(str(p.label) for p in allowed_targets(project)) or _("aucune")
        errors.setdefault("to_phase", []).append(
            _("Passage de « %(from)s » à « %(to)s » impossible. Phases possibles : %(allowed)s.")
            % {"from": Phase(project.phase).label, "to": to_phase.label, "allowed": allowed}
        )
    today = timezone.localdate()
    if effective_date > today:
        errors.setdefault("effective_date", []).append(
            _("La date d'effet ne peut pas être dans le futur (aujourd'hui : %(today)s).")
            % {"today": today.strftime("%d/%m/%Y")}
        )
    last = project.transitions.order_by("-effective_date", "-pk").first()
    if last is not None and effective_date < last.effective_date:
        errors.setdefault("effective_date", []).append(
            _("La date d'effet ne peut pas précéder le dernier changement de phase (%(date)s).")
            % {"date": last.effective_date.strftime("%d/%m/%Y")}
        )
    if to_phase == Phase.ABANDONNE and not comment.strip():
        errors.setdefault("comment", []).append(_("Indiquez le motif de l'abandon."))
    if enforce_gates and "to_phase" not in errors:
        problems = gate_problems(project, to_phase)
        if problems:
            errors.setdefault("to_phase", []).append(
                _("Conditions non remplies pour « %(to)s » : %(problems)s.")
                % {"to": to_phase.label, "problems": " ; ".join(problems)}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def transition(
    project, *, to_phase: Phase, effective_date: datetime.date, by, comment: str = "", enforce_gates: bool = True
):
    """Move `project` to `to_phase` at `effective_date`, logging the change. Who may do it is
    the caller's business (portfolio.permissions); this checks that the move itself is valid.

    `enforce_gates=False` records past changes (imports, backfilled history): edges and dates
    are still checked, the gates — conditions on today's data — are not."""
    from portfolio.models import PhaseTransition, Project

    project = Project.objects.select_for_update().get(pk=project.pk)
    check_transition(project, to_phase, effective_date, comment=comment, enforce_gates=enforce_gates)
    row = PhaseTransition(
        project=project,
        from_phase=project.phase,
        to_phase=to_phase,
        effective_date=effective_date,
        comment=comment,
        created_by=by,
    )
    row._history_user = by
    row.save()
    project.phase = to_phase
    project.phase_since = effective_date
    project.version += 1
    project._history_user = by
    project.save(update_fields=["phase", "phase_since", "version", "updated_at"])
    return row


def record_opening(project, *, by):
    """The first row of a project's log: it enters `commande` on its commission letter's date.
    The project was saved in that phase already; this writes the row lead times start from."""
    from portfolio.models import PhaseTransition

    if project.transitions.exists():
        raise ValidationError(_("Le journal des phases de ce projet est déjà ouvert."))
    row = PhaseTransition(
        project=project,
        from_phase="",
        to_phase=Phase.COMMANDE,
        effective_date=project.commission_letter.date,
        created_by=by,
    )
    row._history_user = by
    row.save()
    return row


# Lead times ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Continuous percentile (PostgreSQL's percentile_cont): linear between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)


@dataclass
class LeadTimes:
    """Durations of one project, in days, derived from its transition log."""

    commissioned_on: datetime.date | None
    decided_on: datetime.date | None
    delivered_on: datetime.date | None
    days_in_phase: dict[str, int] = field(default_factory=dict)
    # The same, counting only the stays that ended: what "time per phase" statistics use, as
    # a file still in a phase has not finished it.
    closed_days_in_phase: dict[str, int] = field(default_factory=dict)
    current_phase: str | None = None
    current_since: datetime.date | None = None
    as_of: datetime.date | None = None

    @classmethod
    def from_transitions(cls, transitions: Iterable, *, as_of: datetime.date | None = None) -> "LeadTimes":
        """`transitions` of one project in log order (effective_date, pk)."""
        as_of = as_of or timezone.localdate()
        rows = sorted(
            (t for t in transitions if t.effective_date <= as_of), key=lambda t: (t.effective_date, t.pk or 0)
        )
        first = {}
        for row in rows:
            first.setdefault(row.to_phase, row.effective_date)
        days: dict[str, int] = {}
        closed: dict[str, int] = {}
        for row, following in zip(rows, [*rows[1:], None], strict=True):
            end = following.effective_date if following else as_of
            days[row.to_phase] = days.get(row.to_phase, 0) + (end - row.effective_date).days
            if following is not None:
                closed[row.to_phase] = closed.get(row.to_phase, 0) + (end - row.effective_date).days
        last = rows[-1] if rows else None
        return cls(
            commissioned_on=first.get(Phase.COMMANDE),
            decided_on=first.get(Phase.REALISATION),
            delivered_on=first.get(Phase.LIVRE),
            days_in_phase=days,
            closed_days_in_phase=closed,
            current_phase=last.to_phase if last else None,
            current_since=last.effective_date if last else None,
            as_of=as_of,
        )

    @property
    def instruction_days(self) -> int | None:
        """Decision date − commission letter date."""
        if self.commissioned_on and self.decided_on:
            return (self.decided_on - self.commissioned_on).days
        return None

    @property
    def delivery_days(self) -> int | None:
        """Delivery date − decision date."""
        if self.decided_on and self.delivered_on:
            return (self.delivered_on - self.decided_on).days
        return None

    @property
    def age_in_phase(self) -> int | None:
        """Days spent so far in the current phase (open files only)."""
        if self.current_phase in OPEN_PHASES and self.current_since:
            return (self.as_of - self.current_since).days
        return None

    def is_late(self, targets: dict[str, int]) -> bool:
        """Over the target duration of its current phase (SPEC §3.2 "en retard")."""
        age = self.age_in_phase
        target = targets.get(self.current_phase)
        return age is not None and target is not None and age > target
