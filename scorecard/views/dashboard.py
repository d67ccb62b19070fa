from django.shortcuts import render
from django.views.decorators.http import require_GET

from innovaction.permissions import rule_required
from scorecard import permissions
from scorecard.forms import RecomputeForm
from scorecard.selectors.dashboard import dashboard
from scorecard.selectors.grid import objective_states, selectable_periods
from scorecard.strategy_map import strategy_map as draw_strategy_map
from scorecard.views import requested_period


def dashboard_context(request) -> dict:
    period = requested_period(request)
    return {
        "board": dashboard(request.user, period),
        "period": period,
        "periods": selectable_periods(),
        "can_recompute": permissions.can_recompute(request.user),
        "recompute_form": RecomputeForm(initial={"first": period, "last": period}),
    }


@require_GET
@rule_required(permissions.can_view_scorecard)
def dashboard_view(request):
    """The cabinet dashboard of a month (SPEC §5.4)."""
    return render(request, "scorecard/dashboard.html", dashboard_context(request))


@require_GET
@rule_required(permissions.can_view_scorecard)
def strategy_map(request):
    period = requested_period(request)
    perspectives, states, links = objective_states(period)
    names = {state.objective.pk: state.objective for state in states}
    effects: dict[int, list] = {}
    for cause, effect in links:
        if effect in names:
            effects.setdefault(cause, []).append(names[effect])
    rows = [
        (p, [(s, effects.get(s.objective.pk, [])) for s in states if s.objective.perspective_id == p.pk])
        for p in perspectives
    ]
    return render(
        request,
        "scorecard/strategy_map.html",
        {
            "period": period,
            "periods": selectable_periods(),
            "map": draw_strategy_map(perspectives, states, links),
            "rows": rows,
        },
    )
