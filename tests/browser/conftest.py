"""Browser tests: the built site, served on 127.0.0.1, driven by Chromium through Playwright.

The site is built once per test run (``build.py --site-dir <tmp>``, shared with the other
tests that read the real site: tests/sites.py) and served by a threaded ``http.server`` on a
free local port.  The tests are parametrized by the pages in docs/ and the charts they place,
so collecting them builds nothing; a test checks those are exactly what the build made.

Chromium is Debian's ``/usr/bin/chromium`` (never ``playwright install``).  Without it
every test here is skipped, unless ``CI`` is set: CI must run them, so there they fail.
The accessibility tests also need axe-core from ``node_modules`` (``npm ci``, which
``bash scripts/dev test`` runs when npm is on PATH); without it they are skipped with the
reason, and again fail where ``CI`` is set.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sites import real_site  # tests/sites.py (tests/ is on the path, for tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUNTIME = "chart-runtime.js"
DARK_BACKGROUND = "rgb(30, 33, 41)"  # #1e2129, the dark Vega specs' background
TIMEOUT_MS = 15_000

IN_CI = bool(os.environ.get("CI"))
HAVE_CHROMIUM = CHROMIUM.exists()
SKIP_REASON = f"{CHROMIUM} not found; browser tests skipped (they are required, and fail, when CI is set)"


def axe_missing(axe: Path = AXE) -> str | None:
    """Why axe-core cannot be injected into a page, or None when it can."""
    if axe.is_file():
        return None
    where = axe.relative_to(ROOT) if axe.is_relative_to(ROOT) else axe
    if shutil.which("npm"):
        how = "run `npm ci` (bash scripts/dev test does)"
    else:
        how = "npm is not on PATH: install Node.js with npm, then `npm ci` (bash scripts/dev test does)"
    return f"{where} not found, so the accessibility checks cannot run; {how}"


def _uses_axe(item) -> bool:
    """A test that calls ``axe_violations`` (helpers.py), which injects axe-core into the page."""
    code = getattr(getattr(item, "function", None), "__code__", None)
    return code is not None and "axe_violations" in code.co_names


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture starts a browser: skip an axe test without axe-core (fail it in CI),
    the same way on every machine, rather than let it die reading a file that is not there."""
    if not _uses_axe(item):
        return
    reason = axe_missing(AXE)
    if reason and IN_CI:
        pytest.fail(f"CI is set but {reason}: the accessibility tests must run in CI", pytrace=False)
    if reason:
        pytest.skip(reason)


# --------------------------------------------------------------------------- the built site

@dataclass(frozen=True)
class Chart:
    id: str              # e.g. "destinations"
    page: str            # site-relative page URL, e.g. "other-markets/"
    vega_light: str      # site-relative path of the light Vega spec
    tooltip_marks: tuple[str, ...]  # names of the spec's marks that encode a tooltip

    @property
    def figure(self) -> str:
        return f"#chart-{self.id}"


@dataclass
class Site:
    dir: Path
    pages: list[str] = field(default_factory=list)          # "", "crackdown/", ...
    charts: list[Chart] = field(default_factory=list)

    def charts_on(self, page: str) -> list[Chart]:
        return [c for c in self.charts if c.page == page]

    @property
    def chart_pages(self) -> list[str]:
        return [p for p in self.pages if self.charts_on(p)]


class _Figures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in (attrs.get("class") or "").split() and attrs.get("data-vega-light-wide"):
            self.figures.append(attrs)


def _tooltip_marks(spec: dict) -> tuple[str, ...]:
    names: list[str] = []

    def walk(node: dict) -> None:
        for mark in node.get("marks", []):
            if any("tooltip" in (block or {}) for block in mark.get("encode", {}).values()):
                names.append(mark["name"])
            walk(mark)

    walk(spec)
    return tuple(names)


def discover(site_dir: Path) -> Site:
    """Every page written from docs/ (not 404.html, search/, or the generated chart pages and embeds
    under charts/, which test_chart_pages.py reads), and the charts on each."""
    site = Site(site_dir)
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel.startswith(("search/", "404", "charts/", "ru/search/", "ru/404", "ru/charts/")):
            continue
        page = rel[: -len("index.html")]
        site.pages.append(page)
        parser = _Figures()
        parser.feed(html.read_text(encoding="utf-8"))
        for attrs in parser.figures:
            chart_id = attrs.get("data-chart") or attrs["id"].removeprefix("chart-")
            spec_path = attrs["data-vega-light-wide"]   # a path in the site: charts.js resolves it from the root
            spec = json.loads((site_dir / spec_path).read_text(encoding="utf-8"))
            site.charts.append(Chart(chart_id, page, spec_path, _tooltip_marks(spec)))
    return site


@functools.cache
def built_site() -> Site:
    """The real site, built once per test run (tests/sites.py: the same build the other tests
    read, whichever pytest-xdist worker asks first), and what it contains."""
    site = discover(real_site())
    if not site.pages:
        raise RuntimeError(f"no pages found in {site.dir}")
    return site


def page_id(page: str) -> str:
    return page.strip("/") or "home"


# --------------------------------------------------------------------------- parametrization

def source_pages(docs: Path = ROOT / "docs") -> dict[str, str]:
    """Site-relative page URL ("" for the home page, "crackdown/", "ru/crackdown/") -> the page's
    Markdown (a notebook's Markdown cells), for every page in ``docs``, named as MkDocs places them."""
    from facts.lang import prefix
    from facts.translations import edition_of

    pages = {}
    for path in sorted([*docs.rglob("*.md"), *docs.rglob("*.ipynb")]):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"]
                                if cell["cell_type"] == "markdown")
        # crackdown.md -> crackdown/; its Russian twin crackdown.ru.md -> ru/crackdown/
        lang, english = edition_of(path.relative_to(docs).as_posix())
        name = Path(english).with_suffix("").as_posix()
        pages[prefix(lang) + ("" if name == "index" else f"{name}/")] = text
    # In the order the built site's pages are found (discover): by their path in the site
    return dict(sorted(pages.items(), key=lambda page: Path(page[0], "index.html").parts))


def source_charts(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(page, chart id) of every chart a page places, in the order it places them."""
    from pages.references import find_references

    return [(page, ref.id) for page, text in texts.items() for ref in find_references(text) if ref.kind == "chart"]


# Named from the sources, so collecting the tests builds nothing: the site is built by the first
# test that needs it (or sooner, in the background: tests/conftest.py), while others run, and
# test_pages.py checks that these are exactly the pages and charts the build made.
PAGES = source_pages()
CHARTS = source_charts(PAGES)


def pytest_generate_tests(metafunc):
    wanted = [name for name in ("page_path", "chart_page", "chart") if name in metafunc.fixturenames]
    if not wanted:
        return
    name = wanted[0]
    if not (HAVE_CHROMIUM or IN_CI):
        metafunc.parametrize(name, [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON))],
                             ids=["no-chromium"])
        return
    if name == "page_path":
        metafunc.parametrize(name, list(PAGES), ids=page_id)
    elif name == "chart_page":
        metafunc.parametrize(name, list(dict.fromkeys(page for page, _ in CHARTS)), ids=page_id)
    else:   # resolved against the build by the ``chart`` fixture
        metafunc.parametrize(name, CHARTS, ids=[f"{page_id(page)}-{cid}" for page, cid in CHARTS], indirect=True)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def site() -> Site:
    if not (HAVE_CHROMIUM or IN_CI):
        pytest.skip(SKIP_REASON)
    return built_site()


@pytest.fixture
def chart(request, site) -> Chart:
    """The chart a test is parametrized with, (page, chart id), as the build drew it."""
    page, chart_id = request.param
    found = [c for c in site.charts_on(page) if c.id == chart_id]
    assert found, f"the build placed no chart {chart_id} on {page_id(page)}"
    return found[0]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    served: list[str] | None = None   # where a test asked: the paths requested, in order

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.served is not None and args and isinstance(args[0], str) and args[0].startswith("GET "):
            self.served.append(args[0].split()[1])


@contextmanager
def serving(directory: Path, served: list[str] | None = None):
    """Base URL (``http://127.0.0.1:PORT/``) of ``directory``, served from a background thread;
    each path asked for is appended to ``served``, when given."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"served": served}), directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name=f"server for {directory}", daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(site):
    """Base URL of the built site."""
    with serving(site.dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(site):
    if not HAVE_CHROMIUM:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: the browser tests must run in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


class Contexts:
    """The browser contexts of one worker, one for each set of options the tests ask for, each
    page of a test opened in one and left as a fresh context would be (``Tab``).

    Why not a fresh context per test: a new page in a new context starts a renderer process,
    about 0.5 s of CPU on this machine, more than the page itself costs, in each of some two
    hundred tests. A page of a context that already shows a page of the same site joins that
    page's process: each context holds such a page (the site's icon, a document that runs
    nothing) for every site it has opened."""

    # Each open context keeps a renderer process or more: beyond this many, the one used longest
    # ago is closed. Measured over tests/browser on 2 workers (memory in use at its peak, over
    # what was in use before): a fresh context per test +1.1 GB in 212 s; at most 4 open +1.7 GB
    # in 150-160 s; at most 2, +1.4 GB in 174 s. With none ever closed, Chromium's processes
    # summed 9.9 GB of resident memory, against 2.2 GB with a context per test.
    MOST_OPEN = 4

    def __init__(self, browser) -> None:
        self.browser = browser
        self._open: OrderedDict[str, object] = OrderedDict()   # least recently used first
        self._keepers: dict[tuple[str, str], object] = {}
        self._origins: dict[str, set[str]] = {}   # context key -> every origin its pages asked anything of

    def fresh_page(self, base_url: str, **options):
        """A new page in the context for ``options``, with nothing left of earlier tests' pages: no
        other page open but the keepers, no cookies, every origin's storage cleared, and the HTTP
        cache emptied (the browser's, and the one a renderer keeps in memory)."""
        key = json.dumps(options, sort_keys=True)
        context = self._open.get(key)
        if context is not None:
            self._open.move_to_end(key)
        else:
            if len(self._open) >= self.MOST_OPEN:
                self._close(next(iter(self._open)))
            context = self._open[key] = self.browser.new_context(**options)
            context.set_default_timeout(TIMEOUT_MS)
            origins = self._origins[key] = set()
            context.on("request", lambda r: origins.add(_origin(r.url)))
        origin = _origin(base_url)
        keeper = self._keepers.get((key, origin))
        if keeper is None:
            keeper = self._keepers[key, origin] = context.new_page()
            keeper.goto(base_url + KEEPER)
        for page in context.pages:   # a test's popups, or a page it did not close
            if page not in self._keepers.values():
                page.close()
        context.clear_cookies()
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        for seen in sorted(self._origins[key] - {"null"}):
            devtools.send("Storage.clearDataForOrigin", {"origin": seen, "storageTypes": "all"})
        devtools.send("Network.enable")
        devtools.send("Network.clearBrowserCache")
        # Turning the cache off evicts what the renderer holds in memory (the keeper's process
        # is the test page's); turned on again, the page caches as a fresh one does.
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": False})
        devtools.detach()
        return context, page

    def _close(self, key: str) -> None:
        self._open.pop(key).close()
        del self._origins[key]
        for place in [place for place in self._keepers if place[0] == key]:
            del self._keepers[place]

    def close(self) -> None:
        for key in list(self._open):
            self._close(key)


KEEPER = "assets/images/favicon.svg"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else "null"


@pytest.fixture(scope="session")
def contexts(browser):
    shared = Contexts(browser)
    yield shared
    shared.close()


class Tab:
    """A page as a fresh context would show it (``Contexts.fresh_page``), recording console errors,
    page errors and requests (``all_requests``: the context's, the page's workers' among them)."""

    def __init__(self, contexts: Contexts, base_url: str, **context_options):
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        self.base_url = base_url
        self.context, self.page = contexts.fresh_page(base_url, **context_options)
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.all_requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self._record = lambda r: self.all_requests.append(r.url)
        self.context.on("request", self._record)

    def goto(self, path: str, wait_until: str = "load"):
        self.page.goto(self.base_url + path, wait_until=wait_until)
        return self.page

    def requested(self, needle: str) -> list[str]:
        return [url for url in self.requests if needle in url]

    def close(self) -> None:
        self.context.remove_listener("request", self._record)
        self.page.close()


@pytest.fixture
def open_tab(contexts, server):
    """``open_tab(**context_options)`` -> a Tab; every one is closed after the test."""
    tabs: list[Tab] = []

    def open_(**options) -> Tab:
        tab = Tab(contexts, server, **options)
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.close()
