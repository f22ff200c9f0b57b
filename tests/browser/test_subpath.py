"""The built site works from any base path: every internal link, asset, spec and download resolves.

Pull-request previews are served from a sub-path (/preview/pr-7/), so the site must
never point at the host's root. The built site is served under such a path and every
reference in every page is fetched; a fragment must name an id on its target page.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_PATH = "/preview/pr-7/"
URL_ATTRIBUTES = {"href", "src", "content"}


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()
        self.site_paths: set[str] = set()   # data-vega-*: paths in the site, which charts.js resolves
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name, value in attrs.items():
            if not value:
                continue
            if name in URL_ATTRIBUTES and not (tag == "meta" and not (attrs.get("property") or "").endswith("image")):
                self.urls.add(value)
            elif name == "srcset":
                self.urls.update(part.split()[0] for part in value.split(","))
            elif name.startswith("data-vega-"):
                self.site_paths.add(value)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def subpath_site(site, tmp_path_factory):
    """The site built for the sub-path (SITE_URL names it), as a preview workflow would.

    Pages use relative links and work anywhere; only MkDocs' 404 page, served for any
    missing path, links from the site root and so needs to know it.
    """
    out = tmp_path_factory.mktemp("subpath") / "site"
    env = {**os.environ, "SITE_URL": f"https://previews.invalid{BASE_PATH}"}
    result = subprocess.run([sys.executable, "build.py", "--site-dir", str(out)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def preview(subpath_site, tmp_path_factory):
    root = tmp_path_factory.mktemp("host")
    (root / BASE_PATH.strip("/")).parent.mkdir(parents=True)
    (root / BASE_PATH.strip("/")).symlink_to(subpath_site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host}:{port}{BASE_PATH}"
    httpd.shutdown()
    httpd.server_close()


@functools.cache
def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


def test_every_reference_resolves_under_a_sub_path(site, preview):
    pages = [""] + [p for p in site.pages if p] + ["404.html"]
    broken, escaped, missing_ids, checked = [], [], [], 0
    for page in pages:
        page_url = urljoin(preview, page)
        status, body = fetch(page_url)
        assert status == 200, page_url
        parser = _References()
        parser.feed(body.decode("utf-8"))
        if "assets/javascripts/charts.js" in body.decode("utf-8"):
            # charts.js imports the runtime from beside itself, and finds specs from the site's root.
            loader = urljoin(page_url, next(u for u in parser.urls if u.endswith("charts.js")))
            parser.urls.add(urljoin(loader, "chart-runtime.js"))
            parser.urls.update(urljoin(urljoin(loader, "../../"), path) for path in parser.site_paths)
        for reference in parser.urls:
            url, fragment = urldefrag(urljoin(page_url, reference))
            target = urlsplit(url)
            if target.netloc != urlsplit(preview).netloc:
                continue  # another site: a link out, not part of this one
            if not target.path.startswith(BASE_PATH):
                escaped.append(f"{page or 'home'}: {reference}")
                continue
            status, content = fetch(url)
            checked += 1
            if status != 200:
                broken.append(f"{page or 'home'}: {reference} -> {status}")
            elif fragment and url.endswith("/"):
                ids = _References()
                ids.feed(content.decode("utf-8"))
                if fragment not in ids.ids:
                    missing_ids.append(f"{page or 'home'}: {reference}")
    assert escaped == [], "references that leave the base path"
    assert broken == []
    assert missing_ids == [], "fragments with no such id on their page"
    assert checked > 200, f"only {checked} references checked"


def test_fact_links_and_chart_anchors_have_targets(site):
    """Every fact link names a row of the data page, and every chart anchor its figure."""
    data_page = (site.dir / "data-and-sources" / "index.html").read_text(encoding="utf-8")
    for html in site.dir.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        for fact_id in re.findall(r'data-and-sources/#fact-([a-z0-9-]+)"', text):
            assert f'id="fact-{fact_id}"' in data_page, (html, fact_id)
        for chart_id in re.findall(r'href="#chart-([a-z0-9-]+)"', text):
            assert f'id="chart-{chart_id}"' in text, (html, chart_id)
