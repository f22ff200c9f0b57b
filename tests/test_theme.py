"""The chart palette keeps WCAG AA contrast in both colour schemes."""

from __future__ import annotations

import pytest

from charts.theme import DARK, LIGHT


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_text_has_aa_contrast(theme):
    # Body-size text needs 4.5:1 (WCAG 1.4.3): titles, labels, axis text.
    for role in ("text", "muted"):
        assert contrast(theme[role], theme["background"]) >= 4.5, role


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_marks_have_non_text_contrast(theme):
    # Marks and their outlines need 3:1 against the background (WCAG 1.4.11).
    for colour in [theme["accent"], *theme["category"]]:
        assert contrast(colour, theme["background"]) >= 3.0, colour


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_category_colours_can_carry_text_labels(theme):
    # Direct labels are written in the text colour beside marks, so category colours
    # are never the only carrier of a value; still, each must be readable as text too.
    for colour in theme["category"]:
        assert contrast(colour, theme["background"]) >= 4.5, colour
