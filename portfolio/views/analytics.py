"""Lead-time analytics ("Délais"): how long each phase takes, which files are over their
target, and two cohorts compared — the "instruction time divided by 4" question."""

import datetime

from django.db.models import Min
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from innovaction.charts.bars import horizontal_bars
from innovaction.charts.spread import Spread, median_p90
from innovaction.formatting import format_decimal
from innovaction.permissions import rule_required
from portfolio import permissions
from portfolio.forms import CohortForm
from portfolio.models import Project
from portfolio.selectors.analytics import lead_time_report
from portfolio.selectors.projects import thresholds


def _days(value: float) -> str:
    return _("%(days)s j") % {"days": format_decimal(value, 0)}


def _default_cohorts(user, today: datetime.date) -> dict[str, datetime.date]:
    """The portfolio's first two calendar years against the last three years."""
    first = Project.objects.visible_to(user).aggregate(first=Min("commission_letter__date"))["first"] or today
    return {
        "a_du": datetime.date(first.year, 1, 1),
        "a_au": datetime.date(first.year + 1, 12, 31),
        "b_du": datetime.date(today.year - 3, today.month, 1),
        "b_au": today,
    }


def _legend() -> tuple[str, str, str]:
    return (_("médiane"), _("90e centile (P90)"), _("durée cible"))


@rule_required(permissions.has_any_role)
@require_GET
def lead_times(request):
    limits = thresholds()
    bound = any(key in request.GET for key in ("a_du", "a_au", "b_du", "b_au"))
    form = CohortForm(request.GET if bound else None, initial=_default_cohorts(request.user, limits.today))
    if bound and form.is_valid():
        (a_start, a_end), (b_start, b_end) = form.ranges()
    else:
        defaults = form.initial
        a_start, a_end, b_start, b_end = defaults["a_du"], defaults["a_au"], defaults["b_du"], defaults["b_au"]
    report = lead_time_report(
        user=request.user,
        limits=limits,
        cohorts=[(_("Cohorte A"), a_start, a_end), (_("Cohorte B"), b_start, b_end)],
    )
    phases_chart = median_p90(
        [Spread(str(row.phase.label), row.done.median, row.done.p90, row.target) for row in report.phases],
        title=_("Temps passé dans chaque phase (séjours terminés)"),
        description=_("Médiane et 90e centile en jours, avec la durée cible ; les chiffres sont dans le tableau."),
        legend=_legend(),
        value_label=_days,
    )
    open_rows = [row for row in report.phases if row.ages.count]
    ageing_chart = open_rows and median_p90(
        [Spread(str(row.phase.label), row.ages.median, row.ages.p90, row.target) for row in open_rows],
        title=_("Ancienneté des dossiers ouverts dans leur phase actuelle"),
        description=_("Médiane et 90e centile en jours, avec la durée cible ; les chiffres sont dans le tableau."),
        legend=_legend(),
        value_label=_days,
    )
    cohort_chart = median_p90(
        [
            Spread(_("%(label)s : instruction") % {"label": c.label}, c.instruction.median, c.instruction.p90)
            for c in report.cohorts
        ]
        + [
            Spread(_("%(label)s : réalisation") % {"label": c.label}, c.delivery.median, c.delivery.p90)
            for c in report.cohorts
        ],
        title=_("Cohortes comparées : délai d'instruction et délai de réalisation"),
        description=_("Médiane et 90e centile en jours pour chaque cohorte ; les chiffres sont dans le tableau."),
        legend=_legend(),
        value_label=_days,
    )
    year_chart = horizontal_bars(
        [(str(year), stat.median) for year, stat in report.by_year],
        title=_("Délai d'instruction médian selon l'année de la lettre de commande"),
        description=_("En jours, de la lettre de commande à la décision ; les chiffres sont dans le tableau."),
        value_label=_days,
    )
    context = {
        "form": form,
        "report": report,
        "phases_chart": phases_chart,
        "ageing_chart": ageing_chart,
        "cohort_chart": cohort_chart,
        "year_chart": year_chart,
    }
    return render(request, "portfolio/lead_times.html", context)
