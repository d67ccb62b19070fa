"""The colours of static/css/app.css, as they are used together, meet WCAG 2.1 AA: 4.5:1 for
text (1.4.3), 3:1 for the boundaries of form fields and for the focus indicator (1.4.11).

axe-core checks the text of every rendered page; it does not measure the focus ring nor the
border of a field, which is why those pairs are declared here."""

import re

import pytest
from django.conf import settings

CSS = settings.BASE_DIR / "static" / "css" / "app.css"
VARIABLE = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b")

TEXT = [
    ("ink", "surface"),
    ("ink", "bg"),
    ("ink", "grey-bg"),
    ("ink-soft", "surface"),
    ("ink-soft", "bg"),
    ("muted", "surface"),
    ("muted", "bg"),
    ("muted", "grey-bg"),
    ("primary", "surface"),
    ("primary", "bg"),
    ("primary", "primary-soft"),
    ("primary-dark", "surface"),
    ("surface", "primary"),  # header, current navigation item, buttons
    ("surface", "accent"),
    ("green", "green-bg"),
    ("orange", "orange-bg"),
    ("red", "red-bg"),
    ("green", "surface"),
    ("orange", "surface"),
    ("red", "surface"),
]
NON_TEXT = [
    ("field-border", "surface"),
    ("field-border", "bg"),
    ("field-border", "grey-bg"),
    # The focus indicator: a dark outer ring on light backgrounds, an amber one in the header.
    ("focus-ring", "surface"),
    ("focus-ring", "bg"),
    ("focus-ring", "primary-soft"),
    ("focus", "primary"),
    ("focus", "focus-ring"),
]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def palette() -> dict[str, str]:
    return dict(VARIABLE.findall(CSS.read_text()))


def test_contrast_formula_matches_the_wcag_reference_values():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-failing grey


@pytest.mark.parametrize(("fg", "bg", "minimum"), [(*p, 4.5) for p in TEXT] + [(*p, 3.0) for p in NON_TEXT])
def test_colours_used_together_contrast_enough(palette, fg, bg, minimum):
    ratio = contrast(palette[fg], palette[bg])
    assert ratio >= minimum, f"--{fg} {palette[fg]} sur --{bg} {palette[bg]} : {ratio:.2f}:1 < {minimum}:1"
