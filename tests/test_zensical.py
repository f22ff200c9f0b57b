"""The site builds with a second generator, Zensical, from the folder site_source.py writes.

This is what makes the generator an adapter in fact: the pipeline's output (pipeline.Built)
is written as a plain Material-style source folder, Zensical builds it with no hooks and no
plugins of ours, and site_source.secure() adds the Content-Security-Policy afterwards. Every
page, chart picture, download and internal link of the result must resolve.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
import yaml

import charts
import pipeline
import site_source
from charts.layout import chart_files
from conftest import ROOT
from facts.export import downloads
from pages import csp
from pages.fill import page_url


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[pipeline.Built, Path]:
    """The real project, written by site_source and built by Zensical: (what was handed over, site)."""
    folder = tmp_path_factory.mktemp("zensical") / "source"
    site_name = site_source.read_config()["site_name"]
    outputs = pipeline.build_outputs(ROOT, site_name=site_name, links_from=site_source.LINKS_FROM)
    config = site_source.write_source(outputs, folder)
    done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(config)], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    site = folder / "site"
    site_source.secure(site)
    return outputs, site


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []          # relative to the page (absolute paths: to the site root)
        self.site_paths: list[str] = []     # data-vega-*: paths in the site, resolved by charts.js
        self.resources: list[str] = []      # what the page loads: scripts, stylesheets, pictures
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name, value in attrs.items():
            if not value:
                continue
            if name in ("href", "src"):
                self.links.append(value)
                if name == "src" or (tag == "link" and "stylesheet" in (attrs.get("rel") or "")):
                    self.resources.append(value)
            elif name == "srcset":
                parts = [part.split()[0] for part in value.split(",") if part.strip()]
                self.links += parts
                self.resources += parts
            elif name.startswith("data-vega-"):
                self.site_paths.append(value)


def _pages(site: Path) -> dict[Path, _Page]:
    parsed = {}
    for path in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path] = parser
    return parsed


def _target(site: Path, page: Path, link: str) -> Path:
    path = unquote(urlsplit(link).path)
    target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target = target.resolve()
    return target / "index.html" if target.is_dir() else target


def test_every_page_is_built(built):
    outputs, site = built
    for src in outputs.checked.pages:
        assert (site / page_url(src) / "index.html").is_file(), src
    assert (site / "404.html").is_file()


def test_every_chart_picture_and_download_is_there(built):
    outputs, site = built
    for chart_id in charts.CHARTS:
        for kind, path in chart_files(chart_id).items():
            assert (site / path).is_file(), f"{chart_id}: {kind} ({path})"
    for path in downloads(outputs.checked.base):
        assert (site / path).is_file(), path
    assert (site / "explore.ipynb").is_file(), "the executed notebook, for readers to download"


def test_every_internal_link_resolves(built):
    _, site = built
    pages = _pages(site)
    broken, missing_ids, checked = [], [], 0
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
                continue
            target = _target(site, page, link) if parts.path else page
            checked += 1
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif urldefrag(link).fragment and target in pages and urldefrag(link).fragment not in pages[target].ids:
                missing_ids.append(f"{page.relative_to(site)}: {link}")
        for path in parsed.site_paths:
            checked += 1
            if not (site / path).is_file():
                broken.append(f"{page.relative_to(site)}: data-vega {path}")
    assert broken == []
    assert missing_ids == [], "links to an anchor the page does not have"
    assert checked > 500, "the pages were not read"


def test_fact_links_reach_their_rows(built):
    """The page links of references point where ProperDocs' do: to the fact's row, from any page."""
    outputs, site = built
    data_page = _pages(site)[site / "data-and-sources" / "index.html"]
    for fact_id in outputs.checked.base.facts:
        assert f"fact-{fact_id}" in data_page.ids, fact_id


def test_every_page_carries_its_policy_and_loads_nothing_from_elsewhere(built):
    _, site = built
    for page, parsed in _pages(site).items():
        html = page.read_text(encoding="utf-8")
        policies = csp.META.findall(html)
        assert len(policies) == 1, page
        directives = csp.parse(policies[0])
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        # Every inline script outside the page's content runs (it is hashed); none inside it does.
        content = csp.article(html)
        outside, _ = csp.inline_hashes(html.replace(content, "", 1) if content else html)
        assert set(outside) <= set(directives["script-src"]), page
        inside, _ = csp.inline_hashes(content)
        assert not set(inside) & set(directives["script-src"]), page
        elsewhere = [r for r in parsed.resources if urlsplit(r).scheme in ("http", "https") or r.startswith("//")]
        assert elsewhere == [], f"{page.relative_to(site)} loads from another host"
    assert (site / "_headers").is_file()


def test_the_source_folder_has_no_hooks_and_no_notebook_plugin(built, tmp_path):
    outputs, _ = built
    config = site_source.write_source(outputs, tmp_path / "again")
    written = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert "hooks" not in written
    assert site_source.NOTEBOOK_PLUGIN not in [p if isinstance(p, str) else next(iter(p)) for p in written["plugins"]]
    assert "explore.md" in str(written["nav"]) and "explore.ipynb" not in str(written["nav"])
    page = (tmp_path / "again" / "docs" / "crackdown.md").read_text(encoding="utf-8")
    assert "{{" not in page, "every reference is filled in"
    assert page.startswith("---\n") and "preview_image: " in page.split("---\n")[1]
