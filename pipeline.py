"""The one path from data/ to page content: validate, render charts, fill in pages.

``build.py`` and ``properdocs serve`` (through ``mkdocs_hooks.py``)
all go through ``Project``; nothing here imports MkDocs, so another site
generator could call the same three steps.
"""

from __future__ import annotations

import inspect
import os
import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import charts
from charts.cache import RenderCache, cache_key, cached_bytes, chart_inputs, key
from charts.layout import BREAKPOINT_CSS, DEFAULT, VARIANTS, breakpoint_css, chart_files
from charts.render import render_all, to_compact_json, to_json
from facts.export import downloads
from facts.inputs import walk
from facts.load import FactBase, load_factbase
from facts.problems import Problem, ProblemsFound, display_path
from facts.staleness import is_stale
from pages import html
from pages.meta import notebook_markdown, page_description, page_title, title_card
from pages.notebooks import NotebookRun, prune
from pages.references import KINDS, Reference, check_pages, find_references, replace_references

ROOT = Path(__file__).resolve().parent
CHART_LOADER = "assets/javascripts/charts.js"


def check_charts(fact_ids: set[str], dated: set[str] | None, root: Path) -> list[Problem]:
    """Charts that name unknown facts, or a period for a fact with none (``dated``: None if unknown)."""
    problems = []
    for chart in charts.CHARTS.values():
        for fact_id in chart.fact_ids():
            if fact_id not in fact_ids:
                file, line = chart.defined_at
                problems.append(Problem(display_path(Path(file), root), line, 1, f"chart {chart.id}: facts",
                                        f"unknown fact id {fact_id!r}"))
        for fact_id in chart.placeholders(kind="period"):
            if dated is not None and fact_id in fact_ids - dated:
                file, line = chart.defined_at
                problems.append(Problem(display_path(Path(file), root), line, 1, f"chart {chart.id}: title",
                                        f"{{period:{fact_id}}}: the fact has no period (its source gives no "
                                        "year); word the title without it"))
    return problems


# Data kinds whose ids pages name, and the namespace a reference gives each (pages/references.py).
ID_KINDS = {"facts": "fact", "events": "event", "sources": "source", "glossary": "term"}


def reference_ids(ids_by_kind: dict[str, set[str]]) -> dict[str, set[str]]:
    """The ids a page's references are checked against, by namespace; a kind whose ids are not
    known (its file could not be read) is left out, and is not checked."""
    known = {ID_KINDS[kind]: ids for kind, ids in ids_by_kind.items() if kind in ID_KINDS}
    return {**known, "chart": set(charts.CHARTS)}


_LAST_PASSED: list = [None, None]   # (input files, FactBase) of this process's last clean check


def draw_charts(base: FactBase, cache: RenderCache | None) -> list[Problem]:
    """Build each chart's spec, skipping those the cache shows were drawn from these inputs."""
    problems = []
    for chart in charts.CHARTS.values():
        inputs = chart_inputs(chart, base)
        if cache and cache.has(chart.id, key(chart, inputs)):
            continue
        try:
            chart.spec(inputs)
        except ProblemsFound as found:
            problems += found.problems
    return problems


@dataclass
class Project:
    root: Path = ROOT
    # In the live preview, facts not re-checked for this many days are flagged on the page.
    flag_stale_after: int | None = None
    base: FactBase = field(init=False)
    problems: ProblemsFound | None = None   # the preview shows these instead of pages
    # Rendered charts are reused from here while their inputs are unchanged (charts/cache.py).
    # By default <root>/.cache/build; $BUILD_CACHE_DIR moves it, and an empty value turns it off.
    cache_dir: Path | None = None

    def __post_init__(self):
        # A cache folder the build may not use is a problem to report with the others, not a
        # crash: check() reports it; until then, and after it, the build runs without a cache.
        self.cache_problems: list[Problem] = []
        if self.cache_dir is None:
            try:
                self.cache_dir = cache_dir_from_env(self.root)
            except ProblemsFound as found:
                self.cache_problems = found.problems

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    def check(self, draw: bool = False) -> FactBase:
        """Validate facts, charts and page references; raise ProblemsFound with all problems.

        With ``draw``, also build every chart's spec (Altair only, no images), so a fact a
        chart cannot draw is found without a build; a build finds it when it renders.
        """
        inputs = self._input_files()
        if not draw and _LAST_PASSED[0] == inputs:
            # build.py checks before MkDocs starts, and the hooks check again in the same
            # process: unchanged files need no second reading (at 100x the site, 11 s).
            self.base = _LAST_PASSED[1]
            return self.base
        problems = list(self.cache_problems)
        try:
            self.base = load_factbase(self.data_dir, self.root)
        except ProblemsFound as found:
            # The data has problems; the pages and charts are still checked, against the ids the
            # data files declare, so one run lists every problem. If a file could not be read at
            # all, any id may be declared there, and ids are not checked this time.
            problems += found.problems
            known = reference_ids(found.declared or {})
            if "fact" in known:
                problems += check_charts(known["fact"], None, self.root)
            problems += check_pages(self.docs_dir, self.root, known)
            raise ProblemsFound(problems) from None
        dated = {f.id for f in self.base.facts.values() if f.period}
        problems += check_charts(set(self.base.facts), dated, self.root)
        if draw and not problems:
            problems += draw_charts(self.base, self._cache())
        known = reference_ids({kind: set(getattr(self.base, kind)) for kind in ID_KINDS})
        problems += check_pages(self.docs_dir, self.root, {**known, "dated fact": dated})
        if problems:
            raise ProblemsFound(problems)
        _LAST_PASSED[:] = [inputs, self.base]
        return self.base

    def _input_files(self) -> tuple:
        """What a check reads, by path, size and modification time."""
        files = walk(self.data_dir, self.root)[0] + walk(self.docs_dir, self.root)[0]
        stats = [(str(path), path.lstat()) for path in files if path.suffix in (".yaml", ".yml", ".md")]
        return tuple((path, stat.st_size, stat.st_mtime_ns) for path, stat in stats)

    def start_notebooks(self) -> None:
        """Start running every notebook in docs/ on the checked data; ``notebook_dirs`` collects them."""
        work = self.cache_dir / "notebooks" if self.cache_dir else Path(tempfile.mkdtemp(prefix="notebooks-"))
        self._notebooks = {
            src: NotebookRun(self.docs_dir, src, self.data_dir, work, display_path(self.docs_dir / src, self.root))
            for src in self._page_sources() if src.endswith(".ipynb")}
        prune(work, {run.key for run in self._notebooks.values()})

    def notebook_dirs(self) -> dict[str, Path]:
        """Page source path -> the folder holding its executed copy under the same path."""
        dirs, problems = {}, []
        for src, run in self._notebooks.items():
            try:
                dirs[src] = run.result()
            except ProblemsFound as found:
                problems += found.problems
        if problems:
            raise ProblemsFound(problems)
        return dirs

    def _cache(self) -> RenderCache | None:
        return RenderCache(self.cache_dir) if self.cache_dir else None

    def render_charts(self) -> dict[str, charts.RenderedChart]:
        self.rendered = render_all([chart for _, chart in sorted(charts.CHARTS.items())], self.base, self._cache())
        return self.rendered

    def generated_files(self) -> dict[str, str | bytes]:
        """Site-relative path -> content of every file the build makes from data/."""
        files: dict[str, str | bytes] = {**downloads(self.base), BREAKPOINT_CSS: breakpoint_css()}
        for cid, rendered in self.rendered.items():
            paths = chart_files(cid)
            files[paths["spec"]] = to_json(rendered.spec)
            files[paths["svg"]] = rendered.svg[DEFAULT]
            files[paths["png"]] = rendered.png
            files[paths["csv"]] = rendered.csv
            for variant in VARIANTS:
                files[paths[f"vega-{variant.name}"]] = to_compact_json(rendered.vega[variant])
                files[paths[f"svg-{variant.name}"]] = rendered.svg[variant]
        return files

    def _page_sources(self) -> dict[str, str]:
        """Site-relative source path -> Markdown of every page (a notebook's Markdown cells)."""
        return {p.relative_to(self.docs_dir).as_posix(): as_markdown(p.name, p.read_text(encoding="utf-8"))
                for p in walk(self.docs_dir, self.root)[0] if p.suffix in (".md", ".ipynb")}

    @staticmethod
    def _lead_chart(markdown: str) -> str | None:
        return next((ref.id for ref in find_references(markdown) if ref.kind == "chart"), None)

    def preview_cards(self, site_name: str) -> dict[str, bytes]:
        """A title-card PNG for each page that has no chart to show in link previews."""
        cards = {}
        folder = self.cache_dir / "cards" if self.cache_dir else None
        drawn_by = [Path(inspect.getsourcefile(title_card))]   # the card's code, beside the charts'
        for src, text in self._page_sources().items():
            if self._lead_chart(text) is None:
                title = page_title(text) or src.rsplit("/", 1)[-1].split(".")[0]
                name = cache_key({"title card": title, "site": site_name}, files=drawn_by) + ".png"
                cards[card_path(src)] = cached_bytes(folder, name, lambda title=title: title_card(title, site_name))
        return cards

    def preview(self, src: str, markdown: str, rendered: str) -> dict[str, str]:
        """The page's description and the site-relative path of its preview image."""
        markdown = as_markdown(src, markdown)
        if src.endswith(".ipynb"):
            rendered = markdown
        chart_id = self._lead_chart(markdown)
        image = chart_files(chart_id)["png"] if chart_id else card_path(src)
        meta = {"image": image}
        description = page_description(rendered)
        if description:
            meta["description"] = description
        return meta

    def touched(self, kind: str, item_id: str, base: FactBase | None = None) -> tuple[list[str], list[str]]:
        """The charts and pages a fact, event or source reaches: what a reviewer should look at."""
        base = base or self.base
        facts = {item_id} if kind == "fact" else set()
        if kind == "source":
            facts = {f.id for f in base.facts.values() if any(c.source == item_id for c in f.sources)}
        chart_ids = sorted(cid for cid, chart in charts.CHARTS.items()
                           if facts & set(chart.fact_ids())
                           or (kind == "event" and chart.uses_events))
        # Which references on a page show this item: those naming it, and the generated lists of
        # its kind (the registry of reference kinds says which are which).
        shows = {k.name for k in KINDS.values() if k.shows(kind)}
        listed = {k.name for k in KINDS.values() if kind in k.lists}
        pages = []
        for src, text in self._page_sources().items():
            for ref in find_references(text):
                if ((ref.kind in shows and ref.id == item_id) or ref.kind in listed
                        or (ref.kind == "chart" and ref.id in chart_ids)
                        or (kind == "source" and ref.kind in ("fact", "card") and ref.id in facts)):
                    pages.append(src)
                    break
        return chart_ids, pages

    def _stale(self, fact_id: str) -> bool:
        return self.flag_stale_after is not None and is_stale(self.base.fact(fact_id).checked,
                                                              self.flag_stale_after)

    def render_page(self, markdown: str, page_url: str) -> str:
        """The page's Markdown with every reference filled in; ``page_url`` is like 'crackdown/'."""
        to_root = relative_root(page_url)

        base = self.base
        first_chart = self._lead_chart(markdown)
        renderers = {
            "fact": lambda ref: html.fact_link(base, ref.id, to_root, stale=self._stale(ref.id)),
            "period": lambda ref: html.period(base, ref.id),
            "card": lambda ref: html.card(base, ref.id, to_root),
            "date": lambda ref: html.event_date(base, ref.id, to_root),
            "source": lambda ref: html.citation(base, ref.id),
            "chart": lambda ref: html.chart_figure(base, self.rendered[ref.id], to_root,
                                                   first=ref.id == first_chart),
            "fact-table": lambda ref: html.fact_table(base),
            "source-list": lambda ref: html.source_list(base, to_root),
            "event-list": lambda ref: html.event_list(base),
            "term": lambda ref: html.term(base, ref.id, to_root),
            "glossary": lambda ref: html.glossary(base),
            "correction-list": lambda ref: html.correction_list(base, to_root),
        }

        def render(ref: Reference) -> str:
            return renderers[ref.kind](ref)

        page = replace_references(markdown, render)
        if any(ref.kind == "chart" for ref in find_references(markdown)):
            # Only pages with charts get the (tiny) loader; it fetches the runtime on first interest.
            page += f'\n\n<script type="module" src="{to_root}{CHART_LOADER}"></script>\n'
        return page


CACHE_ENV = "BUILD_CACHE_DIR"
# Written into a cache folder the build made. The build prunes entries inside its cache, so it
# only ever uses a folder that holds this mark, or an absent or empty one it then marks.
CACHE_MARK = ".build-cache"


def cache_dir_from_env(root: Path) -> Path | None:
    """<root>/.cache/build, or $BUILD_CACHE_DIR (empty: no cache); ProblemsFound naming the
    variable if that folder is not one the build may prune."""
    value = os.environ.get(CACHE_ENV)
    if value == "":
        return None
    if value is None:   # the project's own cache folder
        folder = root / ".cache" / "build"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CACHE_MARK).touch()
        return folder
    folder = Path(value)
    problem = _claim_cache(folder)
    if problem:
        raise ProblemsFound([Problem(f"${CACHE_ENV}", 1, 1, CACHE_ENV, f"{folder}: {problem}")])
    return folder


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


def as_markdown(name: str, text: str) -> str:
    return notebook_markdown(text) if name.endswith(".ipynb") else text


def card_path(src: str) -> str:
    """'crackdown.md' -> 'cards/crackdown.png'."""
    return "cards/" + src.rsplit(".", 1)[0].replace("/", "-") + ".png"


def relative_root(page_url: str) -> str:
    """'' for the home page, '../' for 'crackdown/', '../../' for 'a/b/'."""
    return "../" * len([part for part in posixpath.dirname(page_url).split("/") if part])


def problems_page(found: ProblemsFound) -> str:
    """What the preview shows on every page while data/ has problems."""
    from html import escape

    return "\n".join([
        "# The preview cannot be built", "",
        '<div class="admonition failure" role="alert"><p class="admonition-title">Fix these and save: '
        "the page reloads by itself</p>",
        f"<pre><code>{escape(found.report())}</code></pre></div>", ""])
