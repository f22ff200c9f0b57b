"""A scrolled sequence as HTML: every step's words and its own picture, in reading order.

Without JavaScript (and in print) the steps read one after another, each picture above its
words. docs/assets/javascripts/scrolly.js pins one picture and swaps in each step's as its words
reach the middle of the screen; the words stay the same text for screen readers either way, and
the pinned copy is hidden from them (it repeats what the steps say).
"""

from __future__ import annotations

from html import escape

from charts import RenderedChart
from charts.layout import step_files
from charts.registry import fill_text
from facts.format import entity_names, stop_after_abbreviation, upper_first
from facts.lang import t
from facts.load import FactBase
from facts.schema import Scrolly
from pages.html import _picture


def step_alt(base: FactBase, scrolly: Scrolly, index: int) -> str:
    """What a step's picture shows, in words: which countries are in colour, and its callouts."""
    step = scrolly.steps[index]
    shown = entity_names(step.highlight)
    notes = [fill_text(base, base.annotations[n].text) for n in step.annotations]
    step_words = t("Map, step {step} of {steps}: {countries} in colour.")
    callout = t("Callout: {text}.")
    words = [step_words.format(step=index + 1, steps=len(scrolly.steps), countries=shown),
             *(callout.format(text=upper_first(note)) for note in notes)]
    return stop_after_abbreviation(" ".join(words))


def scrolly(base: FactBase, sequence: Scrolly, steps: list[RenderedChart], to_root: str) -> str:
    """The sequence as a raw HTML block."""
    anchor = f"scrolly-{escape(sequence.id)}"
    items = []
    for index, (step, rendered) in enumerate(zip(sequence.steps, steps, strict=True)):
        href = {kind: escape(to_root + path) for kind, path in step_files(sequence.id, index).items()}
        alt = step_alt(base, sequence, index)
        pictures = "".join(_picture(rendered, href, alt, role, eager=False) for role in ("auto", "light", "dark"))
        items.append(
            f'<li class="scrolly-step" data-step="{index + 1}">'
            f'<div class="scrolly-figure">{pictures}</div>'
            f'<div class="scrolly-text"><p>{escape(fill_text(base, step.text))}</p></div></li>')
    return "\n".join([
        "",
        f'<section class="scrolly" id="{anchor}" aria-labelledby="{anchor}-title" '
        f'data-scrolly="{escape(sequence.id)}">',
        f'<p class="scrolly-title" id="{anchor}-title"><strong>{escape(sequence.title)}</strong></p>',
        f'<ol class="scrolly-steps">{"".join(items)}</ol>',
        "</section>",
        "",
    ])
