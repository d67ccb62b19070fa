from smtplib import SMTPException

from celery import shared_task

from innovaction.maintenance import history_purge, retention_cutoff
from innovaction.models import User
from innovaction.services import password_reset_email_send


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def send_password_reset_email(user_id: int, site_url: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        password_reset_email_send(user=user, site_url=site_url)


@shared_task
def purge_old_history() -> int:
    """Delete history and login logs older than HISTORY_RETENTION_MONTHS; returns the rows deleted."""
    return sum(history_purge(before=retention_cutoff()).values())
