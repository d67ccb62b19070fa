"""The Django admin, for the `admin` role: it reads the portfolio; what the workflow and the
note services derive (phase log, notes that set the weather) is not edited there."""

import pytest
from django.urls import reverse

from tests.portfolio.factories import ProgressNoteFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]  # Django's admin templates


def test_the_admin_reads_projects_but_cannot_rewrite_the_phase_log_or_notes(client_for, admin_user, project):
    client = client_for(admin_user)
    assert client.get(reverse("admin:portfolio_project_change", args=[project.pk])).status_code == 200
    transition = project.transitions.first()
    note = ProgressNoteFactory(project=project)
    assert client.get(reverse("admin:portfolio_phasetransition_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:portfolio_phasetransition_delete", args=[transition.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:portfolio_progressnote_delete", args=[note.pk]), {"post": "yes"}).status_code == 403
    )
    assert project.transitions.filter(pk=transition.pk).exists()
