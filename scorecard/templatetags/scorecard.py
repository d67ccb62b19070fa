"""Template helpers of the scorecard: values by unit, statuses, charts, safe links, and the
dashboard the reader home page includes."""

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portfolio.choices import Phase, Weather
from scorecard import charts
from scorecard.choices import Status
from scorecard.formatting import format_change, format_value
from scorecard.periods import Period

register = template.Library()


@register.filter
def kpi_value(value, indicator) -> str:
    """`{{ measurement.value|kpi_value:indicator }}` → « 2,50 », « 123 j », « 1 234 € »."""
    return format_value(value, indicator.unit, indicator.decimals)


@register.filter
def kpi_change(change, indicator) -> str:
    return format_change(change, indicator.unit, indicator.decimals)


@register.simple_tag
def status_badge(status: str):
    """A status in words and colour (never colour alone); « sans objet » when there is none."""
    if not status:
        return format_html('<span class="badge">{}</span>', _("Sans objet"))
    return format_html(
        '<span class="badge badge--{0}"><span class="dot dot--{0}" aria-hidden="true"></span>{1}</span>',
        status,
        str(Status(status).label).capitalize(),
    )


TRENDS = {
    "better": ("▲", gettext_lazy("en progrès")),
    "worse": ("▼", gettext_lazy("en recul")),
    "same": ("=", gettext_lazy("stable")),
}


@register.simple_tag
def trend_text(line):
    """« +2 ▲ en progrès » — the change since the previous month and what it means."""
    if not line.trend:
        return "—"
    arrow, meaning = TRENDS[line.trend]
    return format_html(
        '{} <span aria-hidden="true">{}</span> <span class="trend trend--{}">{}</span>',
        format_change(line.change, line.indicator.unit, line.indicator.decimals),
        arrow,
        line.trend,
        meaning,
    )


@register.simple_tag
def object_link(obj, label=None):
    """A link to `obj`'s page when that page exists, else its name as plain text (the
    project and partner pages come from other parts of the application)."""
    label = label if label is not None else str(obj)
    try:
        url = obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return label
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag
def sparkline_for(line):
    return charts.sparkline_for(line)


@register.simple_tag
def history_chart_for(line):
    return charts.history_chart(line)


@register.simple_tag
def leverage_gauge_for(line, maximum):
    return charts.leverage_gauge(line, maximum)


@register.simple_tag
def funnel_for(stages):
    return charts.phase_funnel(stages)


@register.simple_tag(takes_context=True)
def period_query(context, period: Period) -> str:
    """The current query string with another month (and back to the first page)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["periode"] = str(period)
    return f"?{params.urlencode()}"


@register.inclusion_tag("scorecard/_dashboard_body.html", takes_context=True)
def cabinet_dashboard(context):
    """The cabinet dashboard for the month asked in `?periode=` (default: the current one),
    for the pages that land readers on it (SPEC §5.4)."""
    from scorecard.views.dashboard import dashboard_context

    request = context["request"]
    return {
        **dashboard_context(request),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def phase_label(code) -> str:
    """A phase code from the transition log (annotations like `phase_on`) → its label."""
    return str(Phase(code).label) if code in Phase.values else ""


@register.filter
def weather_label(code) -> str:
    return str(Weather(code).label) if code in Weather.values else ""


@register.simple_tag
def status_text(status: str):
    """The monthly report's status mark: the word first, colour only repeats it (it prints
    in black and white too)."""
    if not status:
        return format_html('<span class="status">{}</span>', _("Sans valeur"))
    return format_html('<span class="status status--{}">{}</span>', status, str(Status(status).label).capitalize())
