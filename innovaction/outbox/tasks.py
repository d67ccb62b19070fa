"""Celery tasks of the outbox: ids in, a service call, the retry policy — nothing else."""

from celery import shared_task

from innovaction.outbox.delivery import outbox_deliver, outbox_sweep


@shared_task(
    name="innovaction.outbox.deliver", bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def deliver_outbox_message(self, message_id: int) -> None:
    result = outbox_deliver(message_id=message_id, worker=self.request.hostname or "")
    if result.retry_in is not None:
        # The number of attempts is counted in the database, not by Celery.
        raise self.retry(countdown=result.retry_in.total_seconds(), max_retries=None)


@shared_task(name="innovaction.outbox.sweep", ignore_result=True)
def sweep_outbox() -> None:
    outbox_sweep()
