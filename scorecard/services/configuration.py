"""The director's configuration of the scorecard: perspectives, objectives and their
cause → effect links, indicators and their yearly targets (SPEC §5.1). A changed target
reaches the statuses at the next recompute of each open month."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innovaction.concurrency import claim_version
from scorecard import kpis
from scorecard.choices import Source
from scorecard.models import Indicator, Objective, Perspective, Target


@transaction.atomic
def perspective_save(*, perspective: Perspective) -> Perspective:
    perspective.full_clean()
    perspective.save()
    return perspective


@transaction.atomic
def objective_save(*, objective: Objective, effects) -> Objective:
    """Save an objective and the objectives it contributes to (never itself)."""
    effects = [effect for effect in effects if effect.pk != objective.pk]
    objective.full_clean()
    objective.save()
    objective.effects.set(effects)
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    """Its indicators stay, no longer attached to an objective."""
    objective.delete()


@transaction.atomic
def indicator_save(*, indicator: Indicator, expected_version: int | None = None) -> Indicator:
    """Create or update an indicator. A computed one takes its value from the registry entry
    of the same code, so its code must be one of them."""
    if indicator.source == Source.COMPUTED and kpis.get(indicator.code) is None:
        raise ValidationError(
            {
                "source": _("Aucun calcul n'existe pour le code « %(code)s ». Codes calculés : %(codes)s.")
                % {"code": indicator.code, "codes": ", ".join(kpis.REGISTRY)}
            }
        )
    if (
        indicator.min_value is not None
        and indicator.max_value is not None
        and indicator.min_value > indicator.max_value
    ):
        raise ValidationError({"max_value": _("La valeur maximale doit être au moins égale à la valeur minimale.")})
    if indicator.pk:
        claim_version(indicator, expected_version)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def target_set(*, indicator: Indicator, year: int, value: Decimal) -> Target:
    """Set the target of `indicator` for `year` (creates or replaces it)."""
    target = Target.objects.filter(indicator=indicator, year=year).first() or Target(indicator=indicator, year=year)
    target.value = value
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def target_delete(*, target: Target) -> None:
    target.delete()
