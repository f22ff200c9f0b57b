"""The site's content against its rules: every fact used, no hand-typed numbers, no copied article."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import charts
from facts.load import load_factbase
from pages.fill import split_front_matter
from pages.references import find_references

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COPYCHECK = ROOT.parent / "shared" / "tools" / "copycheck.py"


@pytest.fixture(scope="module")
def base():
    return load_factbase(ROOT / "data", ROOT)


def page_references(kind_names: set[str]) -> set[str]:
    ids = set()
    for page in DOCS.rglob("*.md"):
        ids |= {ref.id for ref in find_references(page.read_text(encoding="utf-8")) if ref.kind in kind_names}
    return ids


def test_every_fact_appears_in_a_page_as_a_figure(base):
    used = page_references({"fact", "card"})
    assert sorted(set(base.facts) - used) == []


def test_every_event_is_dated_in_the_story(base):
    assert sorted(set(base.events) - page_references({"date"})) == []


def test_every_chart_is_on_a_page():
    assert sorted(set(charts.CHARTS) - page_references({"chart"})) == []


# Digits a page may hold that are not figures: a licence version, and nothing else.
ALLOWED_NUMBERS = {"4.0"}


def _prose(markdown: str) -> str:
    text = split_front_matter(markdown)[1]                  # the title, description and translation stamp
    text = re.sub(r"\{\{.*?\}\}", " ", text)               # references are filled from data/
    text = re.sub(r"`[^`]*`", " ", text)                    # code spans name files and commands
    text = re.sub(r"\]\([^)]*\)", "]", text)                # link targets
    text = re.sub(r"<https?://[^>]*>|https?://\S+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)                    # HTML tags and their attributes
    return text


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")))
def test_no_number_is_typed_into_a_page(page):
    prose = _prose((DOCS / page).read_text(encoding="utf-8"))
    numbers = [n for n in re.findall(r"\d[\d.,]*", prose) if n.rstrip(".,") not in ALLOWED_NUMBERS]
    assert numbers == [], f"{page} types numbers by hand; use a {{{{ fact: … }}}} or {{{{ period: … }}}} reference"


@pytest.mark.parametrize("name", ["explore.ipynb", "explore.ru.ipynb"])
def test_notebook_text_types_no_number(name):
    notebook = json.loads((DOCS / name).read_text(encoding="utf-8"))
    text = " ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert re.findall(r"\d[\d.,]*", _prose(text)) == []


def test_nothing_is_copied_from_the_article():
    if not COPYCHECK.exists():
        pytest.skip(f"{COPYCHECK} is not beside this checkout")
    result = subprocess.run([sys.executable, str(COPYCHECK), "docs", "data", "charts", "README.md"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
