"""The one path from data/ to a site's content, in two stages whose results are plain values.

    check(root)           -> Checked   the fact base and the pages, every reference checked
    render(checked, ...)  -> Built     chart files, downloads, preview images, every page filled in

``build.py`` checks once, starts the slow work of every edition at once (``prepare``: the
notebooks' runs, and the charts drawn into the cache over every core), renders each edition
and hands its ``Built`` to the site generator; ``properdocs serve`` runs check and render on
each rebuild through ``mkdocs_hooks.py``. A generator only receives the result
(``mkdocs_hooks.py`` for ProperDocs, ``site_source.py`` for any Material-compatible one), so
nothing here imports a generator.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import charts
from charts.annotations import check as check_annotations
from charts.annotations import word_problems
from charts.cache import RenderCache, chart_inputs, key
from charts.layout import BREAKPOINT_CSS, DEFAULT, VARIANTS, breakpoint_css, chart_files
from charts.render import RenderedChart, draw_into_cache, render_all, to_json
from charts.scrolly import every_step, render_steps, step_pictures
from facts import translations
from facts.export import downloads
from facts.inputs import walk
from facts.lang import DEFAULT as ENGLISH
from facts.lang import edition, prefix
from facts.load import FactBase, load_factbase
from facts.problems import Problem, ProblemsFound, display_path
from facts.staleness import is_stale
from pages import chart_pages
from pages.editions import published
from pages.fill import fill, page_url, split_front_matter  # noqa: F401  (page_url: the adapters check the generator agrees)
from pages.notebooks import NotebookRun, previous_run, prune, run_key
from pages.previews import Preview, notebook_markdown, page_preview, title_cards
from pages.references import check_pages

ROOT = Path(__file__).resolve().parent


# Stage one: check ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """Everything the build reads, checked: nothing later reads data/ or docs/ again.

    ``check`` gives every edition's (``lang`` None): the facts with their ``ru:`` blocks, and the
    English pages. ``edition(lang)`` gives one edition's view, which ``render`` draws: the facts'
    text in that language, and its pages under the English pages' names."""

    root: Path
    base: FactBase
    pages: Mapping[str, str]     # page -> Markdown (a notebook's Markdown cells)
    lang: str | None = None      # None: every edition's; else the edition this view shows
    editions: tuple[str, ...] = (ENGLISH,)   # those the project builds (pages/editions.py)
    # page -> its file under docs/ ('crackdown.md' -> 'crackdown.ru.md' in the Russian edition)
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    all_pages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))   # every file in docs/
    # Missing or stale translations: the build refuses them; the preview shows them on the pages.
    untranslated: tuple[Problem, ...] = ()

    def edition(self, lang: str) -> Checked:
        """The same checked facts and pages in ``lang``'s edition."""
        if self.lang is not None:
            raise ValueError(f"this is already the {self.lang} edition's view; take editions from check()'s result")
        files = {}
        for src in self.all_pages:
            src_lang, name = translations.edition_of(src)
            if src_lang == lang:
                files[name] = src
        return replace(self, base=translations.translated(self.base, lang), lang=lang,
                       pages=MappingProxyType({name: self.all_pages[src] for name, src in files.items()}),
                       files=MappingProxyType(files))

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"


def check(root: Path = ROOT, *, cache_dir: Path | None = None, draw: bool = False,
          problems: list[Problem] | None = None, untranslated_ok: bool = False) -> Checked:
    """Validate facts, charts, page references and translations; raise ProblemsFound listing every
    problem (``problems`` found before, such as an unusable cache folder, are listed with them).
    With ``untranslated_ok`` (the preview), a missing or stale translation is kept in the result,
    to show on the page, instead of stopping it.

    With ``draw``, also build every chart's spec (Altair only, no images), so a fact a chart
    cannot draw is found without a build; ``render`` finds it anyway when it draws.
    """
    problems = list(problems or [])
    editions = published(root)
    pages, page_problems = read_pages(root / "docs", root)
    # A translation the project does not publish (no configuration for its edition) is not read.
    pages = {src: text for src, text in pages.items() if translations.edition_of(src)[0] in editions}
    problems += page_problems
    try:
        base = load_factbase(root / "data", root)
    except ProblemsFound as found:
        # The data has problems; the pages and charts are still checked, against the ids the
        # data files declare, so one run lists every problem. If a file could not be read at
        # all, any id may be declared there, and ids are not checked this time.
        problems += found.problems
        known = reference_ids(found.declared or {})
        if "fact" in known:
            problems += check_charts(known["fact"], None, root)
        problems += check_pages(pages, root / "docs", root, known)
        raise ProblemsFound(problems) from None
    dated = {f.id for f in base.facts.values() if f.period}
    problems += check_charts(set(base.facts), dated, root) + check_annotations(base, root)
    if draw and not problems:
        problems += draw_charts(base, RenderCache(cache_dir) if cache_dir else None, editions)
    known = reference_ids({kind: set(getattr(base, kind)) for kind in ID_KINDS})
    problems += check_pages(pages, root / "docs", root, {**known, "dated fact": dated})
    untranslated = [*translations.page_problems(root / "docs", pages, root, editions)]
    for lang in editions[1:]:
        untranslated += translations.data_problems(base, lang) + translations.catalog_problems(lang, root)
    if not untranslated_ok:
        problems += untranslated
    if problems:
        raise ProblemsFound(problems)
    english = {src: text for src, text in pages.items() if translations.edition_of(src)[0] == ENGLISH}
    return Checked(root, base, MappingProxyType(english), editions=editions, all_pages=MappingProxyType(pages),
                   untranslated=tuple(untranslated))


def read_pages(docs_dir: Path, root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Path under docs/ -> Markdown of every page (a notebook's Markdown cells), and the
    problems of those that cannot be read: not a plain file, not UTF-8, not a notebook."""
    files, problems = walk(docs_dir, root, (".md", ".ipynb"))
    pages = {}
    for path in files:
        if path.suffix not in (".md", ".ipynb"):
            continue
        shown = display_path(path, root)
        try:
            text = path.read_text(encoding="utf-8")
            src = path.relative_to(docs_dir).as_posix()
            pages[src] = notebook_markdown(text) if path.suffix == ".ipynb" else text
        except UnicodeDecodeError as err:
            line = path.read_bytes()[:err.start].count(b"\n") + 1
            problems.append(Problem(shown, line, 1, "", "not valid UTF-8 text; save the page as UTF-8"))
        except (json.JSONDecodeError, AttributeError, TypeError) as err:
            line = getattr(err, "lineno", 1)
            problems.append(Problem(shown, line, 1, "", "not a notebook (JSON with a list of cells); "
                                                        "save it again from Jupyter"))
    return pages, problems


def check_charts(fact_ids: set[str], dated: set[str] | None, root: Path) -> list[Problem]:
    """Charts that name unknown facts, or a period for a fact with none (``dated``: None if unknown)."""
    problems = []
    for chart in charts.CHARTS.values():
        file, line = chart.defined_at
        for fact_id in chart.fact_ids():
            if fact_id not in fact_ids:
                problems.append(Problem(display_path(Path(file), root), line, 1, f"chart {chart.id}: facts",
                                        f"unknown fact id {fact_id!r}"))
        for fact_id in chart.placeholders(kind="period"):
            if dated is not None and fact_id in fact_ids - dated:
                problems.append(Problem(display_path(Path(file), root), line, 1, f"chart {chart.id}: title",
                                        f"{{period:{fact_id}}}: the fact has no period (its source gives no "
                                        "year); word the title without it"))
    return problems


# Data kinds whose ids pages name, and the namespace a reference gives each (pages/references.py).
ID_KINDS = {"facts": "fact", "events": "event", "sources": "source", "glossary": "term", "scrollies": "scrolly"}


def reference_ids(ids_by_kind: dict[str, set[str]]) -> dict[str, set[str]]:
    """The ids a page's references are checked against, by namespace; a kind whose ids are not
    known (its file could not be read) is left out, and is not checked."""
    known = {ID_KINDS[kind]: ids for kind, ids in ids_by_kind.items() if kind in ID_KINDS}
    return {**known, "chart": set(charts.CHARTS)}


def draw_charts(base: FactBase, cache: RenderCache | None, editions: tuple[str, ...] = (ENGLISH,)) -> list[Problem]:
    """Build each chart's spec in every edition, from the facts as that edition shows them (the
    view ``render`` draws), skipping those the cache shows were drawn from these inputs; and the
    scrolled steps' words. A problem found in more than one edition is listed once."""
    problems = []
    for lang in editions:
        view = translations.translated(base, lang)
        with edition(lang):
            for chart in charts.CHARTS.values():
                inputs = chart_inputs(chart, view)
                if cache and cache.has(chart.id, key(chart, inputs)):
                    continue
                try:
                    chart.spec(inputs)
                except ProblemsFound as found:
                    problems += found.problems
            problems += word_problems(view)
    return list(dict.fromkeys(problems))


# Stage two: render --------------------------------------------------------------------------

@dataclass(frozen=True)
class Built:
    """What the site is made of, ready for any generator: it only has to place these."""

    checked: Checked
    # Not the drawn charts themselves: their files are here, and nothing after render needs more
    # (holding them kept every chart's parsed specs in memory until the site was written).
    files: Mapping[str, str | bytes]     # site path -> content: chart files, downloads, cards, CSS
    pages: Mapping[str, str]             # path under docs/ -> Markdown with every reference filled in,
                                         # and the pages made from the charts (pages/chart_pages.py)
    previews: Mapping[str, Preview]      # path under docs/ -> its link preview
    notebooks: Mapping[str, Path]        # path under docs/ -> the folder holding its executed copy


def prepare(checked: Checked, cache_dir: Path | None) -> None:
    """The slow work of every edition started at once, before ``render`` takes the editions one
    after another and finds it done: each notebook's run (a kernel: another process), and every
    chart and scrolled step the cache lacks (``draw_missing``). Without a cache there is nowhere to
    leave the work, and each edition does its own."""
    if cache_dir is None:
        return
    for lang in checked.editions:
        start_notebooks(checked.edition(lang), cache_dir)
    draw_missing(checked, cache_dir)


def draw_missing(checked: Checked, cache_dir: Path) -> None:
    """Every edition's charts and scrolled steps that the cache lacks, drawn in one pool over the
    cores (charts/render.py), where one edition's charts alone are too few to keep the cores busy."""
    editions = []
    for lang in checked.editions:
        view = checked.edition(lang)
        with edition(lang):   # a step whose words cannot be made is render_steps' to report
            steps = [] if word_problems(view.base) else [step for sequence in every_step(view.base).values()
                                                         for step in sequence]
        editions.append((lang, view.base, charts.every_chart() + steps))
    draw_into_cache(editions, RenderCache(cache_dir))


def chart_files_of_every_edition(checked: Checked, cache_dir: Path | None) -> dict[str, str | bytes]:
    """Site path -> content of the files every edition makes from data/ (each chart's pictures,
    spec and data, the scrolled steps' pictures, the downloads), as ``render`` makes them, without
    a page or a notebook: what ``build.py charts`` writes for ``build.py diff`` to compare."""
    if cache_dir is not None:
        draw_missing(checked, cache_dir)
    cache = RenderCache(cache_dir) if cache_dir else None
    files: dict[str, str | bytes] = {}
    for lang in checked.editions:
        with edition(lang):
            base = checked.edition(lang).base
            made = chart_and_data_files(base, render_all(charts.every_chart(), base, cache),
                                        render_steps(base, cache))
        files.update({prefix(lang) + path: content for path, content in made.items()})
    return files


def render(checked: Checked, *, lang: str = ENGLISH, **options) -> Built:
    """One edition (``lang``) of the checked facts and pages: every chart drawn, every notebook
    run, every page filled in, all in that edition's language (see ``_render`` for ``options``)."""
    with edition(lang):
        return _render(checked.edition(lang), **options)


def _render(checked: Checked, *, site_name: str, site_url: str | None = None, cache_dir: Path | None = None,
            flag_stale_after: int | None = None, links_from: str = "page", wait_for_notebooks: bool = True) -> Built:
    """Draw every chart, run every notebook and fill in every page; ProblemsFound if a chart
    cannot be drawn or a notebook fails. ``flag_stale_after``: days after which a fact not
    re-checked is flagged on the page (the maintainer's preview; None on the published site).
    ``links_from``: how the generator reads the pages' links (pages/fill.py, LINKS_FROM).
    ``site_url``: the published address, for the chart pages' citations and embed snippets.
    Without ``wait_for_notebooks`` (the preview), a notebook still running is given as its last
    finished run, or as it is without outputs; its run goes on, and writes into the cache folder
    that the preview watches, which rebuilds when it is done."""
    base = checked.base
    # The notebooks run in the background (a kernel is another process) while the charts render.
    runs = start_notebooks(checked, cache_dir)
    cache = RenderCache(cache_dir) if cache_dir else None
    rendered = render_all(charts.every_chart(), base, cache)
    steps = render_steps(base, cache)
    stale = {f.id for f in base.facts.values()
             if flag_stale_after is not None and is_stale(f.checked, flag_stale_after)}
    filled = {src: fill(markdown, src, base, rendered, stale, links_from, steps)
              for src, markdown in checked.pages.items() if src.endswith(".md")}
    if checked.untranslated and checked.lang != ENGLISH:   # the preview: say what is missing, on every page
        filled = {src: untranslated_notice(markdown, checked.untranslated) for src, markdown in filled.items()}
    previews = {src: page_preview(src, markdown, split_front_matter(filled.get(src, markdown))[1])
                for src, markdown in checked.pages.items()}
    made = chart_pages.make(base, rendered, checked.pages, site_name=site_name, site_url=site_url,
                            links_from=links_from)
    if clash := sorted(set(made) & set(checked.pages)):
        raise ProblemsFound([Problem(display_path(checked.docs_dir / src, checked.root), 1, 1, "",
                                     "the build makes this page from the charts; give yours another name")
                             for src in clash])
    filled.update(made)
    previews.update(chart_pages.previews(base, rendered, made))
    files = {**chart_and_data_files(base, rendered, steps),
             **title_cards({**checked.pages, chart_pages.INDEX: made[chart_pages.INDEX]}, site_name,
                           cache_dir / "cards" if cache_dir else None)}
    notebooks, problems = {}, []
    for src, run in runs.items():
        if not wait_for_notebooks and cache_dir and not run.done():
            notebooks[src] = previous_run(cache_dir / "notebooks", src, run.key) or checked.docs_dir
            continue
        try:
            notebooks[src] = run.result()
        except ProblemsFound as found:
            problems += found.problems
    if problems:
        raise ProblemsFound(problems)
    return Built(checked, MappingProxyType(files), MappingProxyType(filled),
                 MappingProxyType(previews), MappingProxyType(notebooks))


def untranslated_notice(markdown: str, untranslated: tuple[Problem, ...]) -> str:
    """The page with the missing or stale translations listed above it (the preview's mark)."""
    from html import escape

    front, body = split_front_matter(markdown)
    listed = "\n".join(escape(str(problem)) for problem in untranslated)
    return (f"{front}<details class=\"admonition warning\"><summary>Not yet translated: {len(untranslated)} "
            f"(the build refuses these; English stands in)</summary>\n<pre><code>{listed}</code></pre></details>"
            f"\n\n{body}")


def start_notebooks(checked: Checked, cache_dir: Path | None) -> dict[str, NotebookRun]:
    """Start running this edition's notebooks on the checked data; forget runs of earlier states
    (every edition's current runs are kept: the editions are built one after the other)."""
    work = cache_dir / "notebooks" if cache_dir else Path(tempfile.mkdtemp(prefix="notebooks-"))
    runs = {src: NotebookRun(checked.docs_dir, src, checked.data_dir, work,
                             display_path(checked.docs_dir / checked.files[src], checked.root),
                             source=checked.files[src], lang=checked.lang)
            for src in checked.pages if src.endswith(".ipynb")}
    # The last finished runs are kept too: the preview shows them while new ones run.
    keep = {run.key for run in runs.values()} | {previous.name for src, run in runs.items()
                                                   if (previous := previous_run(work, src, run.key))}
    keep |= {run_key(checked.docs_dir / src, checked.data_dir) for src in checked.all_pages if src.endswith(".ipynb")}
    prune(work, keep)
    return runs


def chart_and_data_files(base: FactBase, rendered: Mapping[str, RenderedChart],
                         steps: Mapping[str, list[RenderedChart]]) -> dict[str, str | bytes]:
    """Site path -> content of every file the build makes from data/ but the title cards: the
    charts' (``rendered``), the scrolled steps' pictures (``steps``), the downloads."""
    files: dict[str, str | bytes] = {**downloads(base), BREAKPOINT_CSS: breakpoint_css()}
    for cid, chart in rendered.items():
        paths = chart_files(cid)
        files[paths["spec"]] = to_json(chart.spec)
        files[paths["svg"]] = chart.svg[DEFAULT]
        files[paths["png"]] = chart.png
        files[paths["csv"]] = chart.csv
        for variant in VARIANTS:
            files[paths[f"vega-{variant.name}"]] = chart.vega[variant]
            files[paths[f"svg-{variant.name}"]] = chart.svg[variant]
    return {**files, **step_pictures(steps)}


# The build cache folder ---------------------------------------------------------------------

CACHE_ENV = "BUILD_CACHE_DIR"
# Written into a cache folder the build made. The build prunes entries inside its cache, so it
# only ever uses a folder that holds this mark, or an absent or empty one it then marks.
CACHE_MARK = ".build-cache"


def write_file(path: Path, content: str | bytes) -> None:
    """A file the pipeline made (``Built.files``), with its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def cache_dir_from_env(root: Path) -> tuple[Path | None, list[Problem]]:
    """Where rendered charts, executed notebooks and title cards are kept between builds:
    <root>/.cache/build, or $BUILD_CACHE_DIR (empty: no cache). If that folder is not one the
    build may prune, no cache, and a problem naming the variable, to report with the data's."""
    value = os.environ.get(CACHE_ENV)
    if value == "":
        return None, []
    if value is None:   # the project's own cache folder
        folder = default_cache_dir(root)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CACHE_MARK).touch()
        return folder, []
    folder = Path(value)
    problem = _claim_cache(folder)
    if problem:
        return None, [Problem(f"${CACHE_ENV}", 1, 1, CACHE_ENV, f"{folder}: {problem}")]
    return folder, []


def default_cache_dir(root: Path) -> Path:
    return root / ".cache" / "build"


def _claim_cache(folder: Path) -> str | None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return "is not a folder; expected a folder for the build cache, or an empty value for none"
    if folder.is_dir() and not (folder / CACHE_MARK).is_file() and any(folder.iterdir()):
        return (f"is a folder the build did not make (no {CACHE_MARK}) and it is not empty; the build "
                "prunes what it caches there, so give an empty or new folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CACHE_MARK).touch()
    except OSError as err:
        return f"cannot be used: {err.strerror or err}"
    return None


def build_outputs(root: Path = ROOT, *, site_name: str, lang: str = ENGLISH, untranslated_ok: bool = False,
                  **options) -> Built:
    """Both stages for one edition, as the preview runs them: checked, then rendered
    (``options``: render's)."""
    cache_dir, problems = cache_dir_from_env(root)
    checked = check(root, cache_dir=cache_dir, problems=problems, untranslated_ok=untranslated_ok)
    return render(checked, lang=lang, site_name=site_name, cache_dir=cache_dir, **options)


def problems_page(found: ProblemsFound) -> str:
    """What the preview shows on every page while data/ has problems."""
    from html import escape

    return "\n".join([
        "# The preview cannot be built", "",
        '<div class="admonition failure" role="alert"><p class="admonition-title">Fix these and save: '
        "the page reloads by itself</p>",
        f"<pre><code>{escape(found.report())}</code></pre></div>", ""])
