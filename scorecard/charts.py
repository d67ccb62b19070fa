"""The scorecard's charts, built from its data with the shared SVG modules, for the pages and
the monthly PDF alike. Each chart's text alternative says what a sighted reader would take
from it; the pages also print the figures beside it."""

from decimal import Decimal

from django.utils.translation import gettext as _

from innovaction.charts.base import STATUS_COLOURS
from innovaction.charts.funnel import funnel
from innovaction.charts.gauge import gauge
from innovaction.charts.lines import Band, line_chart
from innovaction.charts.sparkline import sparkline
from scorecard.choices import Direction
from scorecard.formatting import format_value
from scorecard.selectors.grid import IndicatorLine
from scorecard.status import thresholds


def _formatter(indicator):
    return lambda value: format_value(value, indicator.unit, indicator.decimals)


def bands_for(target, indicator) -> list[Band] | None:
    """The green / orange / red zones around `target` (scorecard.status.thresholds)."""
    limits = thresholds(target, indicator.direction, indicator.tolerance_pct)
    if limits is None:
        return None
    if indicator.direction == Direction.UP:
        return [
            Band(limits.target, None, "vert"),
            Band(limits.limit, limits.target, "orange"),
            Band(None, limits.limit, "rouge"),
        ]
    return [
        Band(None, limits.target, "vert"),
        Band(limits.target, limits.limit, "orange"),
        Band(limits.limit, None, "rouge"),
    ]


def _summary(line: IndicatorLine) -> str:
    write = _formatter(line.indicator)
    present = [(p, v) for p, v in zip(line.periods, line.values, strict=True) if v is not None]
    if not present:
        return _("Aucune valeur sur la période.")
    lowest = min(present, key=lambda item: item[1])
    highest = max(present, key=lambda item: item[1])
    text = _(
        "De %(first)s à %(last)s : plus bas %(low)s (%(low_on)s), plus haut %(high)s (%(high_on)s), dernière valeur %(value)s."
    ) % {
        "first": line.periods[0].label,
        "last": line.periods[-1].label,
        "low": write(lowest[1]),
        "low_on": lowest[0].label,
        "high": write(highest[1]),
        "high_on": highest[0].label,
        "value": write(present[-1][1]),
    }
    target = line.current.target if line.current else None
    if target is not None:
        text += " " + _("Cible du mois : %(target)s.") % {"target": write(target)}
    return text


def history_chart(line: IndicatorLine) -> str:
    """The indicator month by month, its target (a dashed step line, as targets are yearly)
    and the zones where a value is green, orange or red."""
    indicator = line.indicator
    measurements = [line.by_period.get(p) for p in line.periods]
    targets = [m.target if m else None for m in measurements]
    return line_chart(
        [p.short_label for p in line.periods],
        line.values,
        title=_("%(name)s : historique sur %(count)s mois") % {"name": indicator.name, "count": len(line.periods)},
        description=_summary(line),
        targets=targets,
        bands=[bands_for(t, indicator) if t is not None else None for t in targets],
        value_label=_formatter(indicator),
        series_label=_("Valeur"),
        target_label=_("Cible"),
        band_labels={"vert": _("zone verte"), "orange": _("zone orange"), "rouge": _("zone rouge")},
    )


def sparkline_for(line: IndicatorLine) -> str:
    return sparkline(
        line.values,
        title=_("Tendance sur %(count)s mois : %(name)s") % {"count": len(line.periods), "name": line.indicator.name},
        description=_summary(line),
        colour=STATUS_COLOURS.get(line.status) if line.status else STATUS_COLOURS[None],
    )


def leverage_gauge(line: IndicatorLine, maximum: Decimal) -> str:
    current = line.current
    value = current.value if current else None
    target = current.target if current else None
    write = _formatter(line.indicator)
    description = _("Effet de levier %(value)s pour une cible de %(target)s.") % {
        "value": write(value),
        "target": write(target) if target is not None else "—",
    }
    return gauge(
        value,
        maximum=maximum,
        target=target,
        title=_("Effet de levier par rapport à la cible"),
        description=description,
        value_label=write,
        colour=STATUS_COLOURS.get(line.status) or STATUS_COLOURS[None],
        width=200,
    )


def phase_funnel(stages: list[tuple[str, int]]) -> str:
    description = " ; ".join(f"{label} : {count}" for label, count in stages)
    return funnel(stages, title=_("Projets par phase"), description=description)
