"""Recomputation of the computed indicators (SPEC §5.3).

`recompute_period` is idempotent, also under concurrency: it locks the month's guard row
first, so a second run of the same month (another worker, the nightly job, a user's click)
waits, then finds the rows it would write already there and changes nothing. Locked months
are left as they are. Statuses and targets of the month's manual values are refreshed too,
so a changed target shows in the colours after the next recompute.
"""

import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from scorecard import kpis
from scorecard.choices import JobState, Source
from scorecard.models import Indicator, Measurement, RecomputeJob, Target
from scorecard.periods import Period
from scorecard.services.measurements import is_locked, lock_month
from scorecard.status import status_for

logger = logging.getLogger(__name__)

MAX_MONTHS = 240
UPDATED_FIELDS = ["value", "status", "target", "origin", "recorded_at"]


@dataclass(frozen=True)
class RecomputeOutcome:
    period: Period
    locked: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def recompute_period(*, period: Period) -> RecomputeOutcome:
    """Compute every active computed indicator for `period` and write one current row per
    indicator; refresh the status of every current row of the month. A fixed number of
    queries whatever the data size (the registry's aggregates, then bulk writes)."""
    guard = lock_month(period)
    if is_locked(period):
        return RecomputeOutcome(period, locked=True)
    indicators = list(Indicator.objects.filter(is_active=True))
    codes = {i.code for i in indicators if i.source == Source.COMPUTED and kpis.get(i.code)}
    values = kpis.compute_all(period, codes)
    targets = dict(
        Target.objects.filter(year=period.year, indicator__in=indicators).values_list("indicator_id", "value")
    )
    current = {m.indicator_id: m for m in Measurement.objects.filter(period=period.start, is_current=True)}
    now = timezone.now()
    created, changed, unchanged = [], [], 0
    for indicator in indicators:
        row = current.get(indicator.pk)
        if indicator.code in codes:
            value, origin = values[indicator.code], Source.COMPUTED
        elif row is not None:
            value, origin = row.value, row.origin
        else:
            continue
        target = targets.get(indicator.pk)
        status = status_for(value, target, indicator.direction, indicator.tolerance_pct)
        if row is None:
            created.append(
                Measurement(
                    indicator=indicator,
                    period=period.start,
                    value=value,
                    status=status,
                    target=target,
                    origin=origin,
                    recorded_at=now,
                )
            )
        elif (row.value, row.status, row.target, row.origin) != (value, status, target, origin):
            row.value, row.status, row.target, row.origin, row.recorded_at = value, status, target, origin, now
            changed.append(row)
        else:
            unchanged += 1
    if created:
        bulk_create_with_history(created, Measurement, default_change_reason="recalcul")
    if changed:
        bulk_update_with_history(changed, Measurement, UPDATED_FIELDS, default_change_reason="recalcul")
    guard.computed_at = now
    guard.save(update_fields=["computed_at"])
    return RecomputeOutcome(period, created=len(created), updated=len(changed), unchanged=unchanged)


def recompute_periods(*, first: Period, last: Period, on_progress=None) -> list[RecomputeOutcome]:
    """Each month from `first` to `last`, each in its own transaction (a long backfill never
    holds every month at once)."""
    outcomes = []
    for period in first.until(last):
        outcomes.append(recompute_period(period=period))
        if on_progress is not None:
            on_progress(period)
    return outcomes


def recompute_nightly() -> list[RecomputeOutcome]:
    """The nightly run: the current month, and the previous one until its report locks it
    (values entered late on the last evening of a month must reach its report)."""
    current = Period.current()
    return recompute_periods(first=current.previous(), last=current)


def check_range(first: Period, last: Period) -> None:
    errors = {}
    if last > Period.current():
        errors["last"] = _("Ce mois n'a pas encore commencé.")
    if first > last:
        errors["first"] = _("Le premier mois doit précéder le dernier.")
    elif len(first.until(last)) > MAX_MONTHS:
        errors["first"] = _("Au plus %(n)s mois à la fois.") % {"n": MAX_MONTHS}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def recompute_job_create(*, first: Period, last: Period, by) -> RecomputeJob:
    """Ask for a recompute from the pages; the job runs on a worker (in-process without a
    broker) once this transaction commits, and the page follows its progress."""
    from scorecard.tasks import recompute_job

    check_range(first, last)
    job = RecomputeJob(
        first_period=first.start, last_period=last.start, periods_total=len(first.until(last)), requested_by=by
    )
    job.full_clean()
    job.save()
    transaction.on_commit(partial(recompute_job.delay, job.pk), robust=True)
    return job


def recompute_job_run(*, job_id: int) -> RecomputeJob | None:
    """Run a queued job, claiming it first with a conditional update so a redelivered task
    does not run it twice. Progress is committed month by month for the page to show."""
    claimed = RecomputeJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = RecomputeJob.objects.get(pk=job_id)
    first, last = Period.of(job.first_period), Period.of(job.last_period)

    def advance(_period):
        RecomputeJob.objects.filter(pk=job_id).update(periods_done=F("periods_done") + 1)

    try:
        recompute_periods(first=first, last=last, on_progress=advance)
    except Exception as error:
        # The job's page must say it failed rather than spin for ever; the worker log has it all.
        logger.exception("recompute job %s failed", job_id)
        RecomputeJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    RecomputeJob.objects.filter(pk=job_id).update(state=JobState.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job
