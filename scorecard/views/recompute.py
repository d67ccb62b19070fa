from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from innovaction.permissions import rule_required
from scorecard import permissions, services
from scorecard.forms import RecomputeForm, errors_to_form
from scorecard.models import RecomputeJob


@require_POST
@rule_required(permissions.can_recompute)
def recompute_start(request):
    """« Recalculer »: queue a job for the months asked, then follow it. With htmx the status
    fragment replaces the button and polls; without JavaScript, the job's page refreshes."""
    form = RecomputeForm(request.POST)
    if form.is_valid():
        try:
            job = services.recompute_job_create(
                first=form.cleaned_data["first"], last=form.cleaned_data["last"], by=request.user
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if request.htmx:
                job.refresh_from_db()
                return render(request, "scorecard/recompute_job.html#status", {"job": job})
            return redirect("scorecard:recompute_job", pk=job.pk)
    template = "scorecard/recompute_form.html#form" if request.htmx else "scorecard/recompute_form.html"
    return render(request, template, {"form": form}, status=400)


@require_GET
@rule_required(permissions.can_recompute)
def recompute_job(request, pk):
    job = get_object_or_404(RecomputeJob.objects.select_related("requested_by"), pk=pk)
    template = "scorecard/recompute_job.html#status" if request.htmx else "scorecard/recompute_job.html"
    return render(request, template, {"job": job})
