"""Writes of the scorecard (SPEC §5): measurements, recomputation, the period lock and the
configuration. Every write of a month's measurements first locks that month's
`PeriodComputation` row, so concurrent writers of one month take turns."""

from scorecard.services.configuration import (
    indicator_save,
    objective_delete,
    objective_save,
    perspective_save,
    target_delete,
    target_set,
)
from scorecard.services.measurements import (
    is_locked,
    measurement_record,
    measurement_revise_computed,
    period_lock,
)
from scorecard.services.recompute import (
    RecomputeOutcome,
    recompute_job_create,
    recompute_job_run,
    recompute_nightly,
    recompute_period,
    recompute_periods,
)

__all__ = [
    "RecomputeOutcome",
    "indicator_save",
    "is_locked",
    "measurement_record",
    "measurement_revise_computed",
    "objective_delete",
    "objective_save",
    "period_lock",
    "perspective_save",
    "recompute_job_create",
    "recompute_job_run",
    "recompute_nightly",
    "recompute_period",
    "recompute_periods",
    "target_delete",
    "target_set",
]
