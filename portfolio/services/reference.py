"""Reference data the director keeps: themes, districts, phase target durations."""

from django.db import transaction

from innovaction.models import User
from portfolio.choices import Phase
from portfolio.models import District, PhaseTarget, Theme


@transaction.atomic
def reference_save(*, instance: Theme | District, by: User, name: str, is_active: bool) -> Theme | District:
    """Create or rename a theme or district; an unused one is hidden by deactivating it
    (projects keep theirs), never deleted."""
    instance.name = name.strip()
    instance.is_active = is_active
    instance.full_clean()
    instance._history_user = by
    instance.save()
    return instance


@transaction.atomic
def phase_targets_update(*, by: User, targets: dict[Phase, int | None]) -> None:
    """Set each phase's target duration in days; None removes the target (no lateness)."""
    current = {target.phase: target for target in PhaseTarget.objects.select_for_update()}
    for phase, days in targets.items():
        target = current.get(phase)
        if days is None:
            if target is not None:
                target._history_user = by
                target.delete()
            continue
        if target is not None and target.target_days == days:
            continue
        target = target or PhaseTarget(phase=phase)
        target.target_days = days
        target.full_clean()
        target._history_user = by
        target.save()
