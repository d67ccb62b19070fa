from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.exports import FORMATS, Column, export_response
from innovaction.permissions import require, rule_required
from scorecard import kpis, permissions, services
from scorecard.choices import Source
from scorecard.forms import MeasurementForm, ReviseForm, errors_to_form
from scorecard.models import Indicator, Measurement
from scorecard.selectors.drilldown import records_behind
from scorecard.selectors.grid import (
    indicator_history,
    indicator_revisions,
    indicator_targets,
    scorecard_grid,
    selectable_periods,
)
from scorecard.services.measurements import target_of
from scorecard.views import requested_period

INDICATORS = Indicator.objects.select_related("perspective", "objective", "owner")


def _indicator_url(indicator, period) -> str:
    return f"{reverse('scorecard:indicator_detail', args=[indicator.code])}?periode={period}"


def _current(attribute: str):
    return lambda line: getattr(line.current, attribute) if line.current else None


# The grid of the list page, one indicator a row, in the page's order (by perspective).
# Indicators describe the whole city (SPEC §5.2): every role reads the same values.
LIST_COLUMNS = [
    Column("perspective", lambda line: line.indicator.perspective.name),
    Column("objectif", lambda line: line.indicator.objective.name if line.indicator.objective else ""),
    Column("indicateur", lambda line: line.indicator.code),
    Column("nom", lambda line: line.indicator.name),
    Column("unite", lambda line: line.indicator.get_unit_display()),
    Column("source", lambda line: line.indicator.get_source_display()),
    Column("responsable", lambda line: str(line.indicator.owner) if line.indicator.owner else ""),
    Column("periode", lambda line: str(line.periods[-1])),
    Column("valeur", _current("value")),
    Column("cible", _current("target")),
    Column("statut", lambda line: line.status),
    Column("valeur_mois_precedent", lambda line: line.previous.value if line.previous else None),
    Column("evolution_sur_un_mois", lambda line: line.change),
]

# The month-by-month table of an indicator's page; the SPEC §7 `indicateurs` headers first,
# so a manual indicator's history can be imported again.
HISTORY_COLUMNS = [
    Column("indicateur", lambda row: row.indicator.code),
    Column("periode", lambda row: f"{row.period:%Y-%m}"),
    Column("valeur", lambda row: row.value),
    Column("commentaire", lambda row: row.comment),
    Column("cible", lambda row: row.target),
    Column("statut", lambda row: row.status),
    Column("origine", lambda row: row.get_origin_display()),
    Column("revision", lambda row: row.revision),
    Column("enregistree_le", lambda row: row.recorded_at),
    Column("saisie_par", lambda row: str(row.recorded_by) if row.recorded_by else ""),
]


@require_GET
@rule_required(permissions.can_view_scorecard)
def indicator_list(request):
    period = requested_period(request)
    blocks = scorecard_grid(period)
    export = request.GET.get("export")
    if export in FORMATS:
        lines = [line for block in blocks for line in block.lines]
        return export_response(export, lines, LIST_COLUMNS, "indicateurs")
    return render(
        request,
        "scorecard/indicator_list.html",
        {"period": period, "periods": selectable_periods(), "blocks": blocks},
    )


@require_GET
@rule_required(permissions.can_view_scorecard)
def indicator_detail(request, code):
    """Definition, owner, target, 36-month history, the records behind the month's value and
    the revisions of locked months (SPEC §5.4)."""
    indicator = get_object_or_404(INDICATORS, code=code)
    period = requested_period(request)
    history = indicator_history(indicator, period)
    history_rows = [(p, history.by_period.get(p)) for p in reversed(history.periods) if history.by_period.get(p)]
    export = request.GET.get("export")
    if export in FORMATS:
        rows = [row for _month_shown, row in history_rows]
        for row in rows:
            row.indicator = indicator  # known already: no query per row
        prefetch_related_objects(rows, "recorded_by")
        return export_response(export, rows, HISTORY_COLUMNS, f"mesures-{slugify(indicator.code)}")
    locked = services.is_locked(period)
    user = request.user
    return render(
        request,
        "scorecard/indicator_detail.html",
        {
            "indicator": indicator,
            "kpi": kpis.get(indicator.code) if indicator.source == Source.COMPUTED else None,
            "period": period,
            "periods": selectable_periods(),
            "line": history,
            "current": history.current,
            "history_rows": history_rows,
            "records": records_behind(
                indicator, period, user, page=request.GET.get("page"), tab=request.GET.get("vue", "")
            ),
            "revisions": indicator_revisions(indicator),
            "targets": indicator_targets(indicator),
            "year_target": target_of(indicator, period.year),
            "locked": locked,
            "can_enter": permissions.can_enter_value(user, indicator, locked=locked),
            "can_correct": locked and indicator.source == Source.COMPUTED and permissions.can_correct_locked(user),
            "can_recompute": not locked and permissions.can_recompute(user),
            "can_configure": permissions.can_configure(user),
        },
    )


@rule_required(permissions.can_view_scorecard)
def measurement_entry(request, code):
    """A manual value for a month, with the definition, the previous values and the target
    beside the form (SPEC §5.1)."""
    indicator = get_object_or_404(INDICATORS, code=code)
    require(permissions.can_enter_value(request.user, indicator))
    period = requested_period(request)
    current = Measurement.objects.filter(indicator=indicator, period=period.start, is_current=True).first()
    initial = {"period": period}
    if current is not None:
        initial.update(value=current.value, comment=current.comment)
    form = MeasurementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["period"]
        locked = services.is_locked(chosen)
        if not permissions.can_enter_value(request.user, indicator, locked=locked):
            form.add_error(
                "period", _("Ce mois est verrouillé (son rapport est parti) : seule la direction peut le corriger.")
            )
        else:
            try:
                services.measurement_record(
                    indicator=indicator,
                    period=chosen,
                    value=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Valeur de %(month)s enregistrée.") % {"month": chosen.label}
                    if not locked
                    else _("Correction de %(month)s enregistrée comme nouvelle révision.") % {"month": chosen.label},
                )
                return redirect(_indicator_url(indicator, chosen))
        period = form.cleaned_data.get("period") or period
    history = indicator_history(indicator, period, months=12)
    return render(
        request,
        "scorecard/measurement_form.html",
        {
            "indicator": indicator,
            "form": form,
            "period": period,
            "line": history,
            "history_rows": [(p, history.by_period.get(p)) for p in reversed(history.periods)],
            "year_target": target_of(indicator, period.year),
            "locked": services.is_locked(period),
        },
    )


@rule_required(permissions.can_correct_locked)
def measurement_revise(request, code):
    """The director corrects a computed value of a locked month: a new revision computed from
    today's data, the frozen value kept beside it."""
    indicator = get_object_or_404(INDICATORS, code=code, source=Source.COMPUTED)
    kpi = kpis.get(indicator.code)
    period = requested_period(request)
    if request.method == "POST":
        form = ReviseForm(request.POST)
        if form.is_valid():
            period = form.cleaned_data["period"]
            try:
                services.measurement_revise_computed(
                    indicator=indicator, period=period, comment=form.cleaned_data["comment"], by=request.user
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Nouvelle révision de %(month)s enregistrée.") % {"month": period.label})
                return redirect(_indicator_url(indicator, period))
    else:
        form = ReviseForm(initial={"period": period})
    current = Measurement.objects.filter(indicator=indicator, period=period.start, is_current=True).first()
    return render(
        request,
        "scorecard/measurement_revise.html",
        {
            "indicator": indicator,
            "form": form,
            "period": period,
            "current": current,
            "recomputed": kpi.compute(period) if kpi else None,
            "locked": services.is_locked(period),
        },
    )
