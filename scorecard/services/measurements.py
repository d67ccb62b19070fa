"""Measurements written by people: manual values, corrections after a lock, and the lock.

A month is *open* until its report is sent; then `period_lock` freezes it (SPEC §5.1): the
recompute leaves it alone, and a correction is a new revision — the previous row is kept
with `is_current=False`, the new one becomes current, and the correction says why.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from scorecard import kpis
from scorecard.choices import Source
from scorecard.models import Indicator, Measurement, PeriodComputation, PeriodLock, Target
from scorecard.periods import Period
from scorecard.status import status_for


def lock_month(period: Period) -> PeriodComputation:
    """Inside a transaction: the month's guard row, locked until the transaction ends."""
    PeriodComputation.objects.get_or_create(period=period.start)
    return PeriodComputation.objects.select_for_update().get(period=period.start)


def is_locked(period: Period) -> bool:
    return PeriodLock.objects.filter(period=period.start).exists()


def target_of(indicator: Indicator, year: int) -> Decimal | None:
    return Target.objects.filter(indicator=indicator, year=year).values_list("value", flat=True).first()


def check_bounds(indicator: Indicator, value: Decimal | None) -> None:
    """The value an indicator admits (a note out of 10, a percentage…), in French."""
    if value is None:
        return
    if indicator.min_value is not None and value < indicator.min_value:
        raise ValidationError(
            {"value": _("La valeur doit être au moins %(min)s.") % {"min": _plain(indicator.min_value)}}
        )
    if indicator.max_value is not None and value > indicator.max_value:
        raise ValidationError(
            {"value": _("La valeur doit être au plus %(max)s.") % {"max": _plain(indicator.max_value)}}
        )


def _plain(value: Decimal) -> str:
    """4 → « 4 », 7.5000 → « 7,5 »: a bound written the way people type it."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _write(*, indicator, period: Period, value, comment: str, origin: str, by, locked: bool) -> Measurement:
    target = target_of(indicator, period.year)
    current = Measurement.objects.filter(indicator=indicator, period=period.start, is_current=True).first()
    fields = {
        "value": value,
        "status": status_for(value, target, indicator.direction, indicator.tolerance_pct),
        "target": target,
        "comment": comment.strip(),
        "origin": origin,
        "recorded_by": by,
    }
    if current is not None and not locked:
        for name, field_value in fields.items():
            setattr(current, name, field_value)
        current.full_clean()
        current.save()
        return current
    if locked:
        if not comment.strip():
            raise ValidationError(
                {"comment": _("Ce mois est verrouillé (son rapport est parti) : indiquez le motif de la correction.")}
            )
        if current is not None and current.value == value:
            raise ValidationError({"value": _("C'est déjà la valeur en vigueur : il n'y a rien à corriger.")})
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    last = Measurement.objects.filter(indicator=indicator, period=period.start).aggregate(n=Max("revision"))["n"]
    row = Measurement(indicator=indicator, period=period.start, revision=(last or 0) + 1, is_current=True, **fields)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, period: Period, value: Decimal | None, comment: str = "", by
) -> Measurement:
    """Record the value of a manual indicator for a month (its owner or the director — the
    view checks who). Open month: the current value is replaced. Locked month: a new
    revision, with a mandatory comment. A month to come cannot be filled in."""
    if indicator.source != Source.MANUAL:
        raise ValidationError(
            {"value": _("Cet indicateur est calculé : sa valeur vient du recalcul, pas d'une saisie.")}
        )
    if period > Period.current():
        raise ValidationError({"period": _("Ce mois n'a pas encore commencé : sa valeur ne peut pas être saisie.")})
    check_bounds(indicator, value)
    lock_month(period)
    return _write(
        indicator=indicator,
        period=period,
        value=value,
        comment=comment,
        origin=Source.MANUAL,
        by=by,
        locked=is_locked(period),
    )


@transaction.atomic
def measurement_revise_computed(*, indicator: Indicator, period: Period, comment: str, by) -> Measurement:
    """Correct a computed indicator of a locked month: compute it again from today's data and
    keep the result as a new revision (the frozen value stays visible beside it)."""
    kpi = kpis.get(indicator.code)
    if indicator.source != Source.COMPUTED or kpi is None:
        raise ValidationError(_("Seul un indicateur calculé peut être recalculé."))
    lock_month(period)
    if not is_locked(period):
        raise ValidationError(_("Ce mois n'est pas verrouillé : le recalcul ordinaire le met à jour."))
    return _write(
        indicator=indicator,
        period=period,
        value=kpi.compute(period),
        comment=comment,
        origin=Source.COMPUTED,
        by=by,
        locked=True,
    )


@transaction.atomic
def period_lock(*, period: Period, by) -> PeriodLock:
    """Freeze a month's values (called when its report is sent). Idempotent: locking a locked
    month returns the existing lock. Takes the month's guard row, so a recompute running at
    that moment finishes before the lock, never after it."""
    lock_month(period)
    lock, _created = PeriodLock.objects.get_or_create(period=period.start, defaults={"locked_by": by})
    return lock
