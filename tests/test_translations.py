"""A missing or stale translation is a placed problem, in --check and the build; the preview
shows the English in its place, marked; a copy without the Russian edition asks for nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, with_russian_edition
from facts.translations import stamp
from sites import run_build, warm_cache


def check(root: Path) -> tuple[int, list[str]]:
    result = run_build(root, "--check", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, [line for line in result.stderr.splitlines() if "problem" not in line]


@pytest.fixture
def russian_copy(project_copy: Path) -> Path:
    return with_russian_edition(project_copy)


def test_the_project_as_it_is_has_every_translation(russian_copy):
    assert check(russian_copy) == (0, [])


def test_a_copy_without_the_russian_edition_asks_for_no_translation(project_copy):
    """The test fixtures are English sites: no ru: block or twin page is asked of them."""
    (project_copy / "docs" / "paradox.ru.md").unlink()
    path = project_copy / "data" / "crackdown.yaml"
    path.write_text(re.sub(r"\n    ru:\n(?:      .*\n)+", "\n", path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    assert check(project_copy) == (0, [])


def test_missing_data_text_is_placed_at_its_item(russian_copy):
    """A fact whose ru: block is gone: its label and note, each a problem at the fact's line."""
    path = russian_copy / "data" / "crackdown.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(  - id: duma-migrant-laws\n(?:    (?!ru:).*\n)*)    ru:\n(?:      .*\n)+", r"\1", text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    line = edited.splitlines().index("  - id: duma-migrant-laws") + 1
    status, problems = check(russian_copy)
    assert status == 1
    at = f"data/crackdown.yaml:{line}:5: facts(duma-migrant-laws).ru."
    assert [p.split(": no Russian text; expected a translation of ")[0] for p in problems] == [
        at + "label", at + "note", at + "period_text"]
    assert problems[0].endswith("\"Laws restricting newcomers' rights passed by the State Duma\"")


def test_a_stale_step_gives_the_stamp_that_ends_it(russian_copy):
    """A scrolled step's English edited: the problem is at the step's ru: block and gives the new
    stamp; with it set, the check passes again."""
    path = russian_copy / "data" / "story.yaml"
    text = path.read_text(encoding="utf-8")
    old = "Start with the region."
    new = "Begin with the region."
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    status, [problem] = check(russian_copy)
    assert status == 1
    match = re.fullmatch(r"data/story\.yaml:(\d+):(\d+): scrollies\(russia-and-the-doors\)\.steps\[0\]\.ru\."
                         r"translated_from: it follows older English \(stamp (\w+)\); check the Russian against the "
                         r'English, then set translated_from: "(\w+)"', problem)
    assert match, problem
    line, old_stamp, new_stamp = int(match[1]), match[3], match[4]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip() == "ru:"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'"{old_stamp}"', f'"{new_stamp}"'), encoding="utf-8")
    assert check(russian_copy) == (0, [])


def test_pages_need_their_twins_and_follow_their_english(russian_copy):
    docs = russian_copy / "docs"
    (docs / "paradox.ru.md").unlink()
    crackdown = docs / "crackdown.md"
    crackdown.write_text(crackdown.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    (docs / "orphan.ru.md").write_text("# Сирота\n", encoding="utf-8")
    status, problems = check(russian_copy)
    assert status == 1
    now = stamp(crackdown.read_text(encoding="utf-8"))
    was = re.search(r'translated_from: "(\w+)"', (docs / "crackdown.ru.md").read_text(encoding="utf-8"))[1]
    assert problems == [
        f'docs/crackdown.ru.md:1:1: translated_from: it follows older English (stamp {was}); check it against '
        f'crackdown.md, then set translated_from: "{now}"',
        "docs/orphan.ru.md:1:1: translates orphan.md, which does not exist; rename it after its English page, or "
        "remove it",
        "docs/paradox.md:1:1: no Russian text: expected docs/paradox.ru.md"]


def test_code_words_without_a_translation_are_placed_in_the_code(russian_copy):
    """A new word in a template, and python build.py catalog adds it to the catalog to translate."""
    template = russian_copy / "overrides" / "404.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% endblock %}", '<p>{{ t("A brand new sentence") }}</p>\n{% endblock %}'), encoding="utf-8")
    line = template.read_text(encoding="utf-8").splitlines().index('<p>{{ t("A brand new sentence") }}</p>') + 1
    status, problems = check(russian_copy)
    assert status == 1
    assert problems == [f"overrides/404.html:{line}:1: no Russian text for 'A brand new sentence' in "
                        "locale/ru/LC_MESSAGES/messages.po; run `python build.py catalog` and translate it there"]
    result = run_build(russian_copy, "catalog")
    assert result.returncode == 0 and "1 entries to translate" in result.stdout, result.stdout + result.stderr
    catalog = (russian_copy / "locale" / "ru" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert f'#: overrides/404.html:{line}\nmsgid "A brand new sentence"\nmsgstr ""' in catalog
    path = russian_copy / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    translated = _translated(ROOT / "locale" / "ru" / "LC_MESSAGES" / "messages.po")
    assert _translated(path) == translated, "translations were changed or lost"
    translated = catalog.replace('msgid "A brand new sentence"\nmsgstr ""',
                                 'msgid "A brand new sentence"\nmsgstr "Совсем новое предложение"')
    path.write_text(translated, encoding="utf-8")
    assert check(russian_copy) == (0, [])


def test_the_preview_shows_what_is_missing_and_english_in_its_place(russian_copy, tmp_path):
    """The preview renders the Russian edition with a step's translation gone: the step reads in
    English, and every Russian page lists what is missing, instead of stopping. On a copy of the
    cache the run's real-site build filled, as a maintainer's preview starts on their last build's:
    what the edit changed is drawn again, the rest reused."""
    path = russian_copy / "data" / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(  - id: eaeu\n(?:    (?!ru:).*\n)*)    ru:\n(?:      .*\n)+", r"\1", text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    script = ("import json, pipeline; "
              "built = pipeline.build_outputs(pipeline.ROOT, lang='ru', site_name='x', untranslated_ok=True, "
              "wait_for_notebooks=False); "
              "print(json.dumps({'glossary': built.pages['glossary.md'], 'crackdown': built.pages['crackdown.md']}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=russian_copy, capture_output=True, text=True,
                            timeout=600, env=_env() | {"BUILD_CACHE_DIR": str(warm_cache(tmp_path / "cache"))})
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.splitlines()[-1])
    for page in pages.values():
        assert "Not yet translated: 2" in page
        assert "glossary(eaeu).ru.term: no Russian text" in page
    assert "Eurasian Economic Union" in pages["glossary"]


def _translated(catalog: Path) -> dict:
    """The catalog's translated entries: English -> its translation."""
    from babel.messages.pofile import read_po

    with catalog.open("rb") as file:
        return {m.id: m.string for m in read_po(file, locale="ru") if m.id and m.string and not m.fuzzy}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "BUILD_CACHE_DIR"}


@pytest.mark.parametrize(("src", "edition"), [
    ("crackdown.md", ("en", "crackdown.md")), ("crackdown.ru.md", ("ru", "crackdown.md")),
    ("explore.ru.ipynb", ("ru", "explore.ipynb")),
    # Only pages have editions: the theme's Russian search stemmer is a file like any other
    ("assets/javascripts/lunr/min/lunr.ru.min.js", ("en", "assets/javascripts/lunr/min/lunr.ru.min.js")),
    ("notes.ru.txt.md", ("en", "notes.ru.txt.md")),
])
def test_a_page_edition_is_named_by_its_last_suffixes(src, edition):
    from facts.translations import edition_of

    assert edition_of(src) == edition
