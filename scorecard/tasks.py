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


# The monthly report ---------------------------------------------------------------------------
# PDF jobs: a time limit, and acks_late so a crashed worker's job runs again — which is safe,
# the send is idempotent (one outbox key per period and recipient).


@shared_task(name="scorecard.tasks.send_monthly_report", acks_late=True, soft_time_limit=300, time_limit=360)
def send_monthly_report() -> str | None:
    """Beat's morning run on the month's first days (CELERY_BEAT_SCHEDULE): on the first
    working day, issue and send the previous month's report."""
    from scorecard.reports.services import report_send_scheduled

    outcome = report_send_scheduled()
    return str(outcome.report) if outcome else None


@shared_task(name="scorecard.tasks.send_report", acks_late=True, soft_time_limit=300, time_limit=360)
def send_report(period: str, user_id: int | None) -> int:
    """The director's "send" button: the same service as the scheduler."""
    from innovaction.models import User
    from scorecard.reports.services import report_send

    by = User.objects.filter(pk=user_id).first() if user_id else None
    return report_send(period=Period.parse(period), by=by).queued


@shared_task(name="scorecard.tasks.generate_report", acks_late=True, soft_time_limit=300, time_limit=360)
def generate_report(period: str, user_id: int | None) -> str:
    from innovaction.models import User
    from scorecard.reports.services import report_generate

    by = User.objects.filter(pk=user_id).first() if user_id else None
    return report_generate(period=Period.parse(period), by=by).sha256


@shared_task(name="scorecard.tasks.send_reminders", ignore_result=True)
def send_reminders() -> None:
    from scorecard.reminders import reminders_send

    reminders_send()
