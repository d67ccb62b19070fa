"""Reference data the director keeps in the app: themes, districts, phase target durations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from innovaction.permissions import rule_required
from portfolio import permissions
from portfolio.choices import Phase
from portfolio.forms import PhaseTargetsForm, ReferenceForm
from portfolio.models import District, PhaseTarget, Theme
from portfolio.services.reference import phase_targets_update, reference_save
from portfolio.views.common import refuse_into

KINDS = {
    "themes": (Theme, gettext_lazy("Thèmes"), gettext_lazy("thème")),
    "quartiers": (District, gettext_lazy("Quartiers"), gettext_lazy("quartier")),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _page(request, *, forms: dict | None = None, targets_form=None, editing=None):
    forms = forms or {}
    targets = dict(PhaseTarget.objects.values_list("phase", "target_days"))
    sections = []
    for key, (model, title, noun) in KINDS.items():
        rows = model.objects.annotate(used=Count("projects")).order_by("name")
        sections.append(
            {
                "key": key,
                "title": title,
                "noun": noun,
                "rows": rows,
                "form": forms.get(key) or ReferenceForm(prefix=key),
                "editing": editing[1] if editing and editing[0] == key else None,
                "edit_form": editing[2] if editing and editing[0] == key else None,
            }
        )
    context = {"sections": sections, "targets_form": targets_form or PhaseTargetsForm(targets=targets)}
    return render(request, "portfolio/reference.html", context)


@rule_required(permissions.can_manage_reference)
@require_http_methods(["GET"])
def reference(request):
    return _page(request)


@rule_required(permissions.can_manage_reference)
@require_http_methods(["POST"])
def reference_add(request, kind: str):
    model, _title, _noun = _kind(kind)
    form = ReferenceForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            reference_save(instance=model(), by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refuse_into(form, error)
        else:
            messages.success(request, _("« %(name)s » ajouté.") % {"name": form.cleaned_data["name"]})
            return redirect("portfolio:reference")
    return _page(request, forms={kind: form})


@rule_required(permissions.can_manage_reference)
@require_http_methods(["GET", "POST"])
def reference_edit(request, kind: str, pk: int):
    model, _title, _noun = _kind(kind)
    instance = get_object_or_404(model, pk=pk)
    form = ReferenceForm(
        request.POST or None, prefix=f"{kind}-{pk}", initial={"name": instance.name, "is_active": instance.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reference_save(instance=instance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            refuse_into(form, error)
        else:
            messages.success(request, _("« %(name)s » enregistré.") % {"name": instance.name})
            return redirect("portfolio:reference")
    return _page(request, editing=(kind, instance.pk, form))


@rule_required(permissions.can_manage_reference)
@require_http_methods(["POST"])
def targets_update(request):
    form = PhaseTargetsForm(request.POST, targets={})
    if form.is_valid():
        phase_targets_update(by=request.user, targets={Phase(name): days for name, days in form.cleaned_data.items()})
        messages.success(request, _("Durées cibles enregistrées : les retards sont recalculés dès maintenant."))
        return redirect("portfolio:reference")
    return _page(request, targets_form=form)
