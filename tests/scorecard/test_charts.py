import re
from decimal import Decimal

from innovaction.charts.funnel import funnel
from innovaction.charts.gauge import gauge
from innovaction.charts.lines import BAND_FILLS, Band, line_chart
from innovaction.charts.sparkline import sparkline


def _accessible_and_csp_safe(chart):
    assert chart.startswith("<svg") and 'role="img"' in chart and "<title" in chart
    assert "style=" not in chart and "<script" not in chart


def test_line_chart_with_a_gap_a_target_step_and_bands():
    chart = line_chart(
        ["01/2025", "02/2025", "03/2025", "04/2025"],
        [Decimal("3"), None, Decimal("4"), Decimal("5.5")],
        title="Effet de levier <historique>",
        description="De 3 à 5,5.",
        targets=[Decimal("4"), Decimal("4"), Decimal("5"), Decimal("5")],
        bands=[
            [
                Band(Decimal("4"), None, "vert"),
                Band(Decimal("3.6"), Decimal("4"), "orange"),
                Band(None, Decimal("3.6"), "rouge"),
            ]
        ]
        * 4,
        series_label="Valeur",
        target_label="Cible",
        band_labels={"vert": "zone verte"},
    )
    _accessible_and_csp_safe(chart)
    assert "&lt;historique&gt;" in chart and "<historique>" not in chart
    # The gap splits the line: the first value stands alone, the last two are joined.
    assert chart.count("<polyline") == 1
    assert chart.count("<circle") == 3
    assert "04/2025 : 5.5" in chart  # each point carries its value as a tooltip
    # A step target: one horizontal segment per point.
    target_path = re.search(r'<path d="([^"]+)"[^>]*stroke-dasharray="5 4"', chart).group(1)
    assert target_path.count("M") == 4 and target_path.count("H") == 4
    for fill in BAND_FILLS.values():
        assert f'fill="{fill}"' in chart
    assert "Valeur" in chart and "Cible" in chart and "zone verte" in chart


def test_line_chart_without_any_value_still_draws_its_frame():
    chart = line_chart(["01/2025"], [None], title="Vide")
    _accessible_and_csp_safe(chart)
    assert "<polyline" not in chart and "<circle" not in chart


def test_sparkline_marks_the_last_value_and_handles_flat_and_empty_series():
    chart = sparkline([1, 2, None, 3, 5], title="Tendance")
    _accessible_and_csp_safe(chart)
    assert chart.count("<polyline") == 2 and chart.count("<circle") == 1
    assert 'class="sparkline"' in chart
    flat = sparkline([2, 2, 2], title="Stable")
    assert re.findall(r'points="([^"]+)"', flat)[0].split()[0].endswith(",16.0")  # the middle of 32 px
    empty = sparkline([None, None], title="Aucune valeur")
    assert "<polyline" not in empty and "stroke-dasharray" in empty


def test_funnel_bars_are_proportional_and_centred():
    chart = funnel([("Commande", 40), ("Instruction", 20), ("Livré", 0)], title="Entonnoir", width=560)
    _accessible_and_csp_safe(chart)
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([\d.]+)"', chart)]
    assert widths == [300, 150]  # (560 − 200 − 60) for the biggest, half of it for half the count
    xs = [float(v) for v in re.findall(r'<rect x="([\d.]+)"', chart)]
    assert xs[0] + widths[0] / 2 == xs[1] + widths[1] / 2  # same centre
    assert ">0<" in chart  # an empty stage still says 0


def test_gauge_fills_up_to_the_value_and_marks_the_target():
    chart = gauge(Decimal("2.5"), maximum=Decimal("10"), target=Decimal("5"), title="Levier", value_label=str)
    _accessible_and_csp_safe(chart)
    arcs = re.findall(r'<path d="([^"]+)"', chart)
    assert len(arcs) == 2  # background, then the value
    assert ">2.5<" in chart and ">10<" in chart
    assert chart.count("<line") == 1  # the target mark
    assert ">—<" in gauge(None, maximum=10, title="Sans valeur")
    over = gauge(15, maximum=10, title="Au-delà")
    assert re.findall(r'<path d="([^"]+)"', over)[1] == re.findall(r'<path d="([^"]+)"', over)[0]  # clipped
