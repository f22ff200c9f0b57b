"""The scrolled sequence (issue 13): it advances as the reader scrolls, shows every step without
JavaScript, is complete as text for screen readers, and changes at once for reduced motion.

What is expected comes from the sources: the pages that place a sequence (docs/), and its steps
and their words from data/ (through the same formatter the pages use), never from the build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from charts.registry import fill_text
from facts.lang import DEFAULT, EDITIONS, edition, prefix, t
from facts.load import load_factbase
from facts.translations import translated
from pages.references import find_references

from .conftest import source_pages
from .helpers import axe_violations, describe_violations

ROOT = Path(__file__).resolve().parents[2]
BASE = load_factbase(ROOT / "data", ROOT)
# (page, sequence) in every edition: the Russian page's steps are read in Russian
PLACED = [(page, ref.id) for page, text in source_pages().items()
          for ref in find_references(text) if ref.kind == "scrolly"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

ACTIVE = "s => document.querySelector(s).dataset.activeStep"
# The pinned picture the reader sees: its file, whether it has loaded, and where it stands.
PINNED = """s => {
  const img = [...document.querySelectorAll(s + ' .scrolly-pinned img')].find(i => i.getClientRects().length);
  if (!img) return null;
  const r = img.getBoundingClientRect();
  return {src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0, bottom: r.bottom, top: r.top};
}"""
# Put the top of step i's words at 60% of the viewport's height, past the line where it takes over.
BRING = """([s, i]) => {
  const text = document.querySelectorAll(s + ' .scrolly-text')[i];
  window.scrollBy({top: text.getBoundingClientRect().top - innerHeight * 0.6, behavior: 'instant'});
  return text.getBoundingClientRect().top;
}"""


def test_the_sequence_is_placed_on_a_page():
    assert PLACED, "no page places a {{ scrolly: ... }}"
    assert all(sid in BASE.scrollies for _, sid in PLACED)


def lang_of(page: str) -> str:
    return next((lang for lang in EDITIONS[1:] if page.startswith(prefix(lang))), DEFAULT)


def words(sid: str, page: str) -> list[str]:
    """Each step's words as the page's edition fills them."""
    lang = lang_of(page)
    base = translated(BASE, lang)
    with edition(lang):
        return [re.sub(r"\s+", " ", fill_text(base, step.text)) for step in base.scrollies[sid].steps]


@pytest.mark.parametrize(("page", "sid"), PLACED)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_advances_as_the_reader_scrolls(open_tab, page, sid, width, scheme):
    w, h = WIDTHS[width]
    tab = open_tab(viewport={"width": w, "height": h}, color_scheme=scheme)
    view = tab.goto(page)
    section = f"#scrolly-{sid}"
    view.wait_for_selector(f"{section}.is-live .scrolly-pinned img", state="attached")
    drawing = "narrow" if w <= 600 else "wide"
    for index in range(len(BASE.scrollies[sid].steps)):
        text_top = view.evaluate(BRING, [section, index])
        view.wait_for_function(f"([s, n]) => ({ACTIVE})(s) === n", arg=[section, str(index + 1)])
        view.wait_for_function(f"s => ({PINNED})(s)?.loaded", arg=section)
        pinned = view.evaluate(PINNED, section)
        assert pinned["src"].endswith(f"/{sid}/{index + 1}.{scheme}.{drawing}.svg"), pinned["src"]
        # The chart stays above the step's words, which are in view below it, not under it.
        assert pinned["bottom"] <= text_top + 1 and text_top < h, (index, pinned, text_top)
    # A jump back to the start (a link, a fast scroll) lands on the first step, not a stale one.
    view.evaluate(BRING, [section, 0])
    view.wait_for_function(f"([s, n]) => ({ACTIVE})(s) === n", arg=[section, "1"])
    assert view.get_attribute(f"{section} .scrolly-pinned", "aria-hidden") == "true"
    assert tab.page_errors == [] and tab.console_errors == []


@pytest.mark.parametrize(("page", "sid"), PLACED)
@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_every_step_shows_its_picture_and_words(open_tab, page, sid, width):
    w, h = WIDTHS[width]
    tab = open_tab(viewport={"width": w, "height": h}, java_script_enabled=False)
    view = tab.goto(page)
    steps = view.locator(f"#scrolly-{sid} .scrolly-step")
    assert steps.count() == len(BASE.scrollies[sid].steps)
    assert view.locator(f"#scrolly-{sid} .scrolly-pinned").count() == 0
    drawing = "narrow" if w <= 600 else "wide"
    for index, expected in enumerate(words(sid, page)):
        step = steps.nth(index)
        step.scroll_into_view_if_needed()
        img = step.locator(".scrolly-figure img:visible")
        assert img.count() == 1, f"step {index + 1} shows {img.count()} pictures"
        view.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        assert img.evaluate("i => i.currentSrc").endswith(f"/{sid}/{index + 1}.light.{drawing}.svg")
        assert re.sub(r"\s+", " ", step.locator(".scrolly-text").inner_text()) == expected
        # The picture comes before its words.
        assert img.bounding_box()["y"] < step.locator(".scrolly-text").bounding_box()["y"]


@pytest.mark.parametrize(("page", "sid"), PLACED)
def test_every_step_is_text_for_screen_readers(open_tab, page, sid):
    tab = open_tab()
    view = tab.goto(page)
    section = f"#scrolly-{sid}"
    view.wait_for_selector(f"{section}.is-live")
    # With the script on, what a screen reader meets: the heading and every step's words, in
    # order (the pinned picture is hidden from it; the steps' own pictures are not displayed).
    tree = view.locator(section).aria_snapshot()
    found = [re.sub(r"\s+", " ", t.strip('"')) for t in re.findall(r"- paragraph: (.*)", tree)]
    title = translated(BASE, lang_of(page)).scrollies[sid].title
    assert f"- strong: {title}" in tree, tree
    assert found == words(sid, page), tree
    assert "img" not in tree, "a picture is read aloud besides the words"
    # Without the script, each picture's text alternative says which step it is and what it shows.
    bare = open_tab(java_script_enabled=False).goto(page)
    alts = bare.eval_on_selector_all(f"{section} .scrolly-figure .chart-auto img", "imgs => imgs.map(i => i.alt)")
    total = len(BASE.scrollies[sid].steps)
    with edition(lang_of(page)):
        expected = [t("Map, step {step} of {steps}: {countries} in colour.").split(":")[0].format(step=n, steps=total)
                    for n in range(1, total + 1)]
    assert [a.split(":")[0] for a in alts] == expected


@pytest.mark.parametrize(("page", "sid"), PLACED)
def test_reduced_motion_changes_the_picture_at_once(open_tab, page, sid):
    section = f"#scrolly-{sid}"
    for motion, expected in (("no-preference", "scrolly-in"), ("reduce", "none")):
        view = open_tab(reduced_motion=motion).goto(page)
        view.wait_for_selector(f"{section}.is-live .scrolly-pinned picture", state="attached")
        animation = view.eval_on_selector(f"{section} .scrolly-pinned picture",
                                          "p => getComputedStyle(p).animationName")
        assert animation == expected, motion


@pytest.mark.parametrize(("page", "sid"), PLACED)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_sequence(open_tab, page, sid, scheme):
    view = open_tab(color_scheme=scheme).goto(page)
    section = f"#scrolly-{sid}"
    view.wait_for_selector(f"{section}.is-live")
    view.evaluate(BRING, [section, 1])
    view.wait_for_function(f"([s, n]) => ({ACTIVE})(s) === n", arg=[section, "2"])
    violations = axe_violations(view)
    assert not violations, describe_violations(violations)
