from smtplib import SMTPException

from celery import shared_task

from portfolio.models import Project
from portfolio.services.projects import project_lead_notify


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def notify_project_lead(project_id: int, lead_id: int) -> None:
    """Tell the lead a project is theirs; skipped if the project changed hands meanwhile."""
    project = Project.objects.select_related("lead", "commission_letter").filter(pk=project_id).first()
    if project is not None and project.lead_id == lead_id and project.lead.is_active:
        project_lead_notify(project=project, lead=project.lead)
