"""What partners adds to a project without portfolio importing it: the funding-plan gate
of the "go" decision and the funding panel of the project page (registered in apps.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innovaction.formatting import format_decimal, format_money
from partners import funding_flow
from partners.charts import funding_bar
from partners.choices import PLANNED_STATUSES, FundingStatus
from partners.models import FundingLine
from partners.permissions import can_edit_funding
from partners.selectors.funding import funding_plan


def funding_plan_gate(project) -> str | None:
    """Entering `realisation` needs a funding plan (SPEC §3.2): a line requested, granted or
    paid, unless the city's contribution alone covers the total cost."""
    if project.city_contribution >= project.total_cost:
        return None
    if FundingLine.objects.filter(project=project, status__in=PLANNED_STATUSES).exists():
        return None
    return _(
        "un plan de financement est nécessaire : au moins une ligne de financement sollicitée, "
        "accordée ou versée, sauf si la part ville couvre seule le coût total"
    )


def line_actions(line, remaining) -> list[dict]:
    """The status actions of a line for someone who may edit it; a paid line whose amount
    is not all received yet still takes payments."""
    statuses = list(funding_flow.allowed_moves(line.status))
    if line.status == FundingStatus.VERSE and remaining > 0:
        statuses.insert(0, FundingStatus.VERSE)
    return [
        {
            "label": funding_flow.ACTION_LABELS[status],
            "url": reverse("partners:line_transition", args=[line.pk, status]),
            "status": status,
        }
        for status in statuses
    ]


def funding_context(user, project, *, as_of: datetime.date) -> dict:
    """The context of `partners/project_funding_panel.html`, for the project page's panel
    and for the funding plan's own page."""
    plan = funding_plan(project, as_of=as_of)
    editable = can_edit_funding(user, project) and as_of == timezone.localdate()
    for line in plan.lines:
        line.actions = line_actions(line, line.amount - line.paid_at) if editable else []
    return {
        "project": project,
        "plan": plan,
        "plan_chart": funding_bar(plan),
        "can_edit_funding": editable,
        "add_line_url": reverse("partners:line_create", args=[project.pk]),
        "plan_url": reverse("partners:project_funding", args=[project.pk]),
    }


def funding_panel_context(request, project) -> dict:
    return funding_context(request.user, project, as_of=timezone.localdate())


def leverage_fact(request, project) -> str | None:
    """The project's leverage for the summary of its page, once some funds are secured."""
    from partners.selectors import leverage_of
    from portfolio.models import Project

    leverage = leverage_of(Project.objects.filter(pk=project.pk))
    if not leverage.secured:
        return None
    if leverage.ratio is None:
        return _("%(secured)s de fonds partenaires, sans part ville") % {"secured": format_money(leverage.secured)}
    return _("%(ratio)s € de partenaires pour 1 € de la ville (%(secured)s sécurisés)") % {
        "ratio": format_decimal(leverage.ratio, 2),
        "secured": format_money(leverage.secured),
    }
