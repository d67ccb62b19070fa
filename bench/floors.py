"""Floors: for each measured page, a minimal view that returns the same rows with `values()`
as JSON — no template, no form, no annotation it does not need. Served through the same
middleware (session, authentication, CSP…) as the page, so page ÷ floor is what the page adds
on top of fetching its rows. Mounted only by `bench.urls`, never by the application."""

import datetime

from django.db.models import Count, Q, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.choices import FundingStatus
from partners.models import FundingLine, Partner
from partners.validators import search_text
from portfolio.choices import ACTIVE_PHASES, Weather
from portfolio.models import Milestone, PhaseTransition, ProgressNote, Project
from scorecard.kpis import populations
from scorecard.models import Indicator, Measurement
from scorecard.periods import Period

PROJECT_FIELDS = (
    "pk",
    "code",
    "title",
    "phase",
    "phase_since",
    "weather",
    "last_note_on",
    "total_cost",
    "lead__first_name",
    "lead__last_name",
    "theme__name",
    "district__name",
)
ORDER = {"-cout": ("-total_cost", "pk"), "code": ("code",)}


def _page(request, default: int = 25) -> tuple[int, int]:
    size = int(request.GET.get("par_page") or default)
    number = int(request.GET.get("page") or 1)
    return (number - 1) * size, number * size


def project_list(request):
    projects = Project.objects.visible_to(request.user)
    if phases := request.GET.getlist("phase"):
        projects = projects.filter(phase__in=phases)
    start, end = _page(request)
    rows = projects.order_by(*ORDER[request.GET.get("sort", "code")]).values(*PROJECT_FIELDS)[start:end]
    return JsonResponse({"count": projects.count(), "results": list(rows)})


def project_page(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user).values(*PROJECT_FIELDS), pk=pk)
    return JsonResponse(
        {
            "project": project,
            "transitions": list(PhaseTransition.objects.filter(project=pk).values("to_phase", "effective_date")),
            "milestones": list(Milestone.objects.filter(project=pk).values("title", "planned_date", "actual_date")),
            "notes": list(ProgressNote.objects.filter(project=pk).values("date", "weather", "text")[:5]),
            "funding": list(
                FundingLine.objects.filter(project=pk).values("partner__name", "amount", "status", "expires_on")
            ),
        }
    )


def partner_list(request):
    start, end = _page(request)
    rows = list(
        Partner.objects.order_by("name", "pk").values("pk", "name", "type", "sector", "network_joined_on")[start:end]
    )
    secured = dict(
        FundingLine.objects.filter(
            partner__in=[row["pk"] for row in rows], status__in=[FundingStatus.ACCORDE, FundingStatus.VERSE]
        )
        .values_list("partner")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        row["secured"] = secured.get(row["pk"])
    return JsonResponse({"count": Partner.objects.count(), "results": rows})


def autocomplete(request):
    words = search_text(request.GET.get("q", "")).split()
    partners = Partner.objects.all()
    for word in words:
        partners = partners.filter(search__contains=word)
    rows = partners.order_by("name", "pk").values("pk", "name", "type", "siret")[:10]
    return JsonResponse({"results": list(rows)})


def dashboard(request):
    period = Period.parse(request.GET["periode"])
    today = min(period.end, timezone.localdate())
    visible = Project.objects.visible_to(request.user)
    measurements = Measurement.objects.filter(
        is_current=True, indicator__is_active=True, period__range=(period.shift(-11).start, period.start)
    ).values("indicator__code", "period", "value", "status", "target")
    return JsonResponse(
        {
            "measurements": list(measurements),
            "funnel": list(visible.order_by().values("phase").annotate(n=Count("pk"))),
            "stormy": list(
                visible.filter(phase__in=ACTIVE_PHASES, weather=Weather.ORAGE)
                .order_by("last_note_on")
                .values("pk", "code", "title")[:10]
            ),
            "milestones": list(
                Milestone.objects.filter(
                    project__in=visible,
                    actual_date__isnull=True,
                    planned_date__range=(today, today + datetime.timedelta(days=30)),
                )
                .order_by("planned_date")
                .values("title", "planned_date", "project__code")[:10]
            ),
            "funding": list(
                FundingLine.objects.filter(
                    Q(status__in=[FundingStatus.SOLLICITE, FundingStatus.ACCORDE]),
                    project__in=visible,
                    expires_on__range=(today, today + datetime.timedelta(days=60)),
                )
                .order_by("expires_on")
                .values("amount", "expires_on", "partner__name")[:10]
            ),
        }
    )


def indicator_page(request, code):
    indicator = get_object_or_404(Indicator.objects.values("pk", "code", "name", "definition"), code=code)
    period = Period.parse(request.GET["periode"])
    history = Measurement.objects.filter(
        indicator=indicator["pk"], is_current=True, period__range=(period.shift(-35).start, period.start)
    ).values("period", "value", "status", "target")
    records = populations.active_projects(period, Project.objects.visible_to(request.user))
    start, end = _page(request)
    return JsonResponse(
        {
            "indicator": indicator,
            "history": list(history),
            "count": records.count(),
            "records": list(records.order_by("code").values(*PROJECT_FIELDS)[start:end]),
        }
    )
