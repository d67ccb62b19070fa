"""Celery tasks of the scorecard: ids (or a period's `YYYY-MM`) in, one service call."""

import time

from celery import shared_task

from scorecard import services
from scorecard.periods import Period


@shared_task(bind=True)
def recompute_period(self, period: str) -> dict:
    """Recompute one month. Returns what it did, which worker did it and when (wall clock),
    so concurrent runs can be told apart in the results."""
    started = time.time()
    outcome = services.recompute_period(period=Period.parse(period))
    return {
        "started": started,
        "finished": time.time(),
        "period": period,
        "locked": outcome.locked,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "worker": self.request.hostname,
    }


@shared_task
def recompute_job(job_id: int) -> None:
    services.recompute_job_run(job_id=job_id)


@shared_task
def recompute_nightly() -> list[str]:
    """Beat's nightly run (CELERY_BEAT_SCHEDULE): the current month and the previous one."""
    return [str(outcome.period) for outcome in services.recompute_nightly()]
