"""The director's configuration pages: perspectives, objectives and their links, indicators
and their yearly targets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.permissions import rule_required
from scorecard import permissions, services
from scorecard.forms import IndicatorForm, ObjectiveForm, PerspectiveForm, RecomputeForm, TargetForm, errors_to_form
from scorecard.models import Indicator, Objective, Perspective, Target
from scorecard.periods import Period

configure = rule_required(permissions.can_configure)


@require_GET
@configure
def config(request):
    return render(
        request,
        "scorecard/config.html",
        {
            "perspectives": Perspective.objects.annotate(
                objective_count=Count("objectives", distinct=True), indicator_count=Count("indicators", distinct=True)
            ).order_by("order", "pk"),
            "objectives": Objective.objects.select_related("perspective").prefetch_related("effects"),
            "indicators": Indicator.objects.select_related("perspective", "objective", "owner").prefetch_related(
                "targets"
            ),
            "recompute_form": RecomputeForm(
                initial={"first": Period(Period.current().year, 1), "last": Period.current()}
            ),
        },
    )


@configure
def perspective_edit(request, pk=None):
    perspective = get_object_or_404(Perspective, pk=pk) if pk else Perspective()
    form = PerspectiveForm(request.POST or None, instance=perspective)
    if request.method == "POST" and form.is_valid():
        try:
            services.perspective_save(perspective=form.save(commit=False))
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Perspective « %(name)s » enregistrée.") % {"name": perspective.name})
            return redirect("scorecard:config")
    return render(request, "scorecard/config_form.html", {"form": form, "object": perspective, "kind": "perspective"})


@configure
def objective_edit(request, pk=None):
    objective = get_object_or_404(Objective, pk=pk) if pk else Objective()
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(objective=form.save(commit=False), effects=form.cleaned_data["effects"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Objectif « %(name)s » enregistré.") % {"name": objective.name})
            return redirect("scorecard:config")
    return render(request, "scorecard/config_form.html", {"form": form, "object": objective, "kind": "objective"})


@configure
def objective_delete(request, pk):
    objective = get_object_or_404(Objective.objects.annotate(indicator_count=Count("indicators")), pk=pk)
    if request.method == "POST":
        name = objective.name
        services.objective_delete(objective=objective)
        messages.success(request, _("Objectif « %(name)s » supprimé.") % {"name": name})
        return redirect("scorecard:config")
    return render(request, "scorecard/confirm_delete.html", {"object": objective, "kind": "objective"})


@configure
def indicator_edit(request, code=None):
    indicator = get_object_or_404(Indicator, code=code) if code else Indicator()
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(indicator=form.save(commit=False), expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Indicateur %(code)s enregistré.") % {"code": indicator.code})
            return redirect("scorecard:indicator_targets", code=indicator.code)
    return render(request, "scorecard/config_form.html", {"form": form, "object": indicator, "kind": "indicator"})


@configure
def indicator_targets(request, code):
    """Yearly targets. A new target shows in the colours after the next recompute, which
    this page offers right away."""
    indicator = get_object_or_404(Indicator.objects.select_related("perspective"), code=code)
    form = TargetForm(request.POST or None, initial={"year": Period.current().year})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_set(
                indicator=indicator, year=form.cleaned_data["year"], value=form.cleaned_data["value"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Cible %(year)s enregistrée. Les couleurs des statuts suivront au prochain recalcul : "
                    "lancez-le ci-dessous pour les mettre à jour maintenant."
                )
                % {"year": target.year},
            )
            return redirect(f"{reverse('scorecard:indicator_targets', args=[indicator.code])}?annee={target.year}")
    year = request.GET.get("annee")
    current = Period.current()
    first = Period(int(year), 1) if year and year.isdigit() and 2000 <= int(year) <= current.year else current
    return render(
        request,
        "scorecard/targets.html",
        {
            "indicator": indicator,
            "targets": indicator.targets.order_by("-year"),
            "form": form,
            "recompute_form": RecomputeForm(initial={"first": first, "last": current}),
        },
    )


@configure
def target_delete(request, code, year):
    target = get_object_or_404(Target.objects.select_related("indicator"), indicator__code=code, year=year)
    if request.method == "POST":
        services.target_delete(target=target)
        messages.success(request, _("Cible %(year)s supprimée.") % {"year": year})
        return redirect("scorecard:indicator_targets", code=code)
    return render(request, "scorecard/confirm_delete.html", {"object": target, "kind": "target"})
