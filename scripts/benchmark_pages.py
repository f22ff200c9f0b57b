#!/usr/bin/env python3
"""Page weight and first-load behaviour of the site's story pages (or the pages --pages names), measured in Chromium.

    .venv/bin/python scripts/benchmark_pages.py                  # build into a temp dir, measure
    .venv/bin/python scripts/benchmark_pages.py --site-dir site  # measure an existing build
    .venv/bin/python scripts/benchmark_pages.py --lighthouse     # also run Lighthouse 12 per page
    .venv/bin/python scripts/benchmark_pages.py --pages charts/ charts/map/   # these pages instead

Each page is loaded once in a fresh context at a 390x844 mobile viewport, without any
interaction (the pointer never moves, nothing is focused or scrolled).  The site is served
from 127.0.0.1 by a small threaded server that gzips text responses (level 6), as a static
host would.  Reported per page:

  requests      every request the page made (data: URLs excluded), workers included
  gzip KB       bytes transferred if served with gzip: gzip -6 of each text body
                (HTML, CSS, JS, JSON, SVG, XML), raw size of images and fonts; summed
                (KB here are KiB, 1024 bytes)
  JS KB         the JavaScript part of that (gzip), all of it before any interaction
  charts in view, ms (n)
                from navigation start (performance.now()) until every chart picture that
                is displayed and in the first viewport has loaded: the latest of their
                load events, once img.complete and naturalWidth > 0 hold for all of them;
                n is how many such pictures; "-" if no chart is in the first viewport
  pictures loaded
                displayed chart pictures loaded without scrolling / all displayed ones
                (lazy pictures far below the fold are rightly not fetched), and when the
                last of those loaded (ms from navigation start, its load event)
  CLS           sum of layout-shift values without recent input (PerformanceObserver)
  runtime       whether chart-runtime.js was requested (it must not be, before interest)
  search        whether the search index or Material's search worker was requested (they load
                when the reader opens search: docs/assets/javascripts/search-on-demand.js)
  within 60 KB  on a story page, whether the page kept to issue 13's budget of 60 KiB gzip

Then, per page, where those bytes go: the page's HTML, Material's CSS and JS, the site's own
CSS and JS, chart pictures, search (if it loaded), anything else.

With --lighthouse, ``npx --yes lighthouse@12`` runs against each page (mobile form factor,
Lighthouse's default simulated throttling) with CHROME_PATH=/usr/bin/chromium, and the four
category scores are reported, with Lighthouse's simulated first and largest contentful paint
(seconds) and the failing audits of every category below 100.
Not a test: a measurement to rerun and compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pages.editions import without_edition  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = [("home", ""), ("crackdown", "crackdown/"), ("paradox", "paradox/"), ("looking-away", "looking-away/"),
         ("turning-point", "turning-point/"), ("other-markets", "other-markets/"), ("conclusion", "conclusion/"),
         ("timeline", "timeline/")]
VIEWPORT = {"width": 390, "height": 844}
RUNTIME = "chart-runtime.js"
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/manifest+json",
              "application/xml", "image/svg+xml", "application/x-javascript")
SEARCH_INDEX, SEARCH_WORKER = "search/search_index.json", "/workers/search."
# Material's hashed files, and the site's trimmed copy of its main stylesheet (scripts/trim_material_css.py)
MATERIAL_ASSET = re.compile(r"^((main|palette|bundle)\.[0-9a-f]{8}\.min|material\.trimmed)\.(css|js)$")
BUDGET_KB = 60   # issue 13: every story page transfers at most this, gzipped, before interaction
STORY = [name for name, _ in PAGES if name not in ("home", "timeline")]
CHART_WAIT_S = 10
SETTLE_MS = 1000
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse's simulated timings reported beside the scores (issue 13: LCP at most 1.2 s), in seconds
LIGHTHOUSE_TIMINGS = {"LH FCP s": "first-contentful-paint", "LH LCP s": "largest-contentful-paint"}

# Installed before any page script: the chart-picture poll and the CLS observer.
PROBE = """
(() => {
  const probe = window.__bench = {cls: 0};
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) probe.cls += e.value;
    }).observe({type: 'layout-shift', buffered: true});
  } catch (e) { probe.cls = null; }
  const loadedAt = new Map();  // picture img -> performance.now() at its load event
  document.addEventListener('load', e => {
    if (e.target instanceof HTMLImageElement && e.target.closest('figure.chart .chart-picture')) {
      loadedAt.set(e.target, performance.now());
    }
  }, true);
  probe.report = () => {
    const shown = [...document.querySelectorAll('figure.chart .chart-picture img')]
      .filter(img => img.getClientRects().length > 0);
    const ok = img => img.complete && img.naturalWidth > 0;
    const inView = shown.filter(img => {
      const r = img.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    });
    const last = imgs => imgs.length && imgs.every(ok) && imgs.every(i => loadedAt.has(i))
      ? Math.max(...imgs.map(i => loadedAt.get(i))) : null;
    const loaded = shown.filter(ok);
    return {cls: probe.cls, total: shown.length, loaded: loaded.length, inView: inView.length,
            inViewMs: last(inView), lastLoadMs: last(loaded)};
  };
})();
"""


def is_text(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower().startswith(TEXT_TYPES)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzip-6 encoded when the client accepts gzip."""

    _cache: dict[Path, bytes] = {}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        url_path = urlsplit(self.path).path
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the base class redirects "dir" to "dir/"
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or not is_text(ctype) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # Lighthouse and page teardown close connections mid-response: not worth a traceback.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(site_dir: Path):
    handler = functools.partial(GzipHandler, directory=str(site_dir))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    return httpd, thread, f"http://{host}:{port}/"


def build(site_dir: Path) -> None:
    print(f"building the site into {site_dir} ...", file=sys.stderr)
    subprocess.run([sys.executable, "build.py", "--site-dir", str(site_dir)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def measure(browser, base: str, path: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=3, is_mobile=True, has_touch=True)
    context.add_init_script(PROBE)
    page = context.new_page()
    requests: list[str] = []
    responses = []
    context.on("request", lambda r: requests.append(r.url))  # workers' fetches included
    context.on("response", lambda r: responses.append(r))
    page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + CHART_WAIT_S
    while time.monotonic() < deadline:  # until the pictures in view have loaded (or give up)
        probe = page.evaluate("window.__bench.report()")
        if probe["inView"] == 0 or probe["inViewMs"] is not None:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(SETTLE_MS)
    probe = page.evaluate("window.__bench.report()")

    total = js = 0
    parts: dict[str, int] = {}
    seen = set()
    for response in responses:
        if response.url in seen or urlsplit(response.url).scheme in ("data", "blob"):
            continue
        seen.add(response.url)
        try:
            body = response.body()
        except Exception:
            body = b""
        ctype = response.headers.get("content-type", "")
        size = len(gzip.compress(body, compresslevel=6, mtime=0)) if is_text(ctype) else len(body)
        total += size
        if "javascript" in ctype:
            js += size
        part = part_of(response.url, base)
        parts[part] = parts.get(part, 0) + size
    network = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")]
    context.close()
    if probe["inView"] == 0:
        charts = "-"
    elif probe["inViewMs"] is not None:
        charts = f"{probe['inViewMs']:.0f} ({probe['inView']})"
    else:
        charts = f"not loaded ({probe['inView']})"
    pictures = f"{probe['loaded']}/{probe['total']}" if probe["total"] else "-"
    if probe["lastLoadMs"] is not None:
        pictures += f", last at {probe['lastLoadMs']:.0f}"
    return {"requests": len(network), "bytes": total, "js": js, "charts": charts, "pictures": pictures,
            "cls": probe["cls"], "runtime": any(u.endswith(RUNTIME) for u in network),
            "search": any(SEARCH_INDEX in u or SEARCH_WORKER in u for u in network), "parts": parts}


def part_of(url: str, base: str) -> str:
    """What a response is, for the breakdown: the page, Material's CSS or JS, the site's own, search."""
    path = without_edition(url.removeprefix(base))   # ru/charts/... is a chart picture too
    if SEARCH_INDEX in path or SEARCH_WORKER in path:
        return "search"
    if path.startswith("charts/"):
        return "chart pictures"
    name = path.rsplit("/", 1)[-1]
    if path.endswith(".css"):
        return "Material CSS" if MATERIAL_ASSET.match(name) else "site CSS"
    if path.endswith(".js"):
        return "Material JS" if MATERIAL_ASSET.match(name) else "site JS"
    if path == "" or path.endswith("/") or path.endswith(".html"):
        return "HTML"
    return "other"


def lighthouse(url: str) -> dict:
    command = ["npx", "--yes", "lighthouse@12", url, "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES),
               "--form-factor=mobile", "--output=json", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CHROME_PATH": CHROMIUM})
    if result.returncode:
        raise RuntimeError(f"lighthouse exited {result.returncode}: {result.stderr.strip()[-800:]}")
    report = json.loads(result.stdout)
    scores, failing = {}, {}
    for cid in LIGHTHOUSE_CATEGORIES:
        category = report["categories"][cid]
        scores[cid] = None if category["score"] is None else round(category["score"] * 100)
        if scores[cid] is not None and scores[cid] < 100:
            failing[cid] = []
            for ref in category["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual", "error"):
                    continue
                if audit.get("score") is not None and audit["score"] < 1:
                    failing[cid].append((ref["id"], audit["title"], audit.get("displayValue", ""), ref["weight"]))
    timings = {name: report["audits"][audit].get("numericValue") for name, audit in LIGHTHOUSE_TIMINGS.items()}
    return {"scores": scores, "failing": failing, "timings": timings, "runtime_error": report.get("runtimeError")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, help="measure this build instead of building one")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 12 on each page")
    parser.add_argument("--pages", nargs="+", metavar="PATH",
                        help="measure these pages (paths under the site, e.g. charts/map/) instead of the story's")
    args = parser.parse_args(argv)
    pages = [(path, path) for path in args.pages] if args.pages else PAGES

    tmp = None
    if args.site_dir:
        site_dir = args.site_dir.resolve()
    else:
        tmp = Path(tempfile.mkdtemp(prefix="benchmark-site-"))
        site_dir = tmp / "site"
        build(site_dir)
    httpd, thread, base = serve(site_dir)
    try:
        from playwright.sync_api import sync_playwright

        rows = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for name, path in pages:
                rows[name] = measure(browser, base, path)
            browser.close()
        audits = {}
        lighthouse_problem = None
        if args.lighthouse:
            if not shutil.which("npx"):
                lighthouse_problem = "npx is not on PATH (Node.js/npm missing)"
            else:
                for name, path in pages:
                    print(f"lighthouse {name} ...", file=sys.stderr)
                    try:
                        audits[name] = lighthouse(base + path)
                    except Exception as error:  # report, do not hide
                        audits[name] = {"error": str(error)}
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "scripts/benchmark_pages.py", *sys.argv[1:]])
    print(f"Measured {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `{command}`; Chromium "
          f"{VIEWPORT['width']}x{VIEWPORT['height']} (mobile), no interaction; sizes are gzip -6 of text, "
          f"raw images/fonts.\n")
    head = ["page", "requests", "gzip KB", f"within {BUDGET_KB} KB", "JS KB (gzip)", "charts in view, ms (n)",
            "pictures loaded (no scroll)", "CLS", "runtime loaded", "search loaded"]
    if args.lighthouse:
        head += ["LH perf", "LH a11y", "LH best pr.", "LH SEO", *LIGHTHOUSE_TIMINGS]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
    for name, _ in pages:
        row = rows[name]
        cls = "n/a" if row["cls"] is None else f"{row['cls']:.3f}"
        within = ("yes" if row["bytes"] <= BUDGET_KB * 1024 else "**no**") if name in STORY else "-"
        cells = [name, str(row["requests"]), f"{row['bytes'] / 1024:.1f}", within, f"{row['js'] / 1024:.1f}",
                 row["charts"], row["pictures"], cls, "yes" if row["runtime"] else "no",
                 "yes" if row["search"] else "no"]
        if args.lighthouse:
            result = audits.get(name, {})
            scores = result.get("scores")
            cells += ([str(scores[c]) if scores[c] is not None else "n/a" for c in LIGHTHOUSE_CATEGORIES]
                      if scores else ["error"] * 4)
            timings = result.get("timings") or {}
            cells += ["n/a" if timings.get(t) is None else f"{timings[t] / 1000:.2f}" for t in LIGHTHOUSE_TIMINGS]
        print("| " + " | ".join(cells) + " |")

    kinds = sorted({kind for row in rows.values() for kind in row["parts"]},
                   key=lambda kind: -max(row["parts"].get(kind, 0) for row in rows.values()))
    print("\nWhere the bytes go (KB, gzip):\n")
    print("| page | " + " | ".join(kinds) + " |")
    print("|---|" + "---:|" * len(kinds))
    for name, _ in pages:
        parts = rows[name]["parts"]
        print(f"| {name} | " + " | ".join(f"{parts[k] / 1024:.1f}" if k in parts else "-" for k in kinds) + " |")

    if args.lighthouse:
        print()
        if lighthouse_problem:
            print(f"Lighthouse did not run: {lighthouse_problem}")
        for name, _ in pages:
            result = audits.get(name, {})
            if "error" in result:
                print(f"- {name}: Lighthouse failed: {result['error']}")
                continue
            if result.get("runtime_error"):
                print(f"- {name}: Lighthouse runtime error: {result['runtime_error']}")
            for category, failed in result.get("failing", {}).items():
                weighted = "; ".join(f"`{aid}` {title}" + (f" ({value})" if value else "")
                                     for aid, title, value, weight in failed if weight)
                unweighted = ", ".join(f"`{aid}`" for aid, _, _, weight in failed if not weight)
                line = f"- {name}, {category} {result['scores'][category]}: {weighted or '(no weighted audit)'}"
                if unweighted:
                    line += f"; also flagged, weight 0: {unweighted}"
                print(line)
    return 1 if any(row["runtime"] or row["search"] for row in rows.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
