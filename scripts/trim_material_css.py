#!/usr/bin/env python3
"""Material's stylesheets (main and palette), trimmed to the rules the site can use, in one file
(issue 13's page-weight budget: fewer bytes, and one render-blocking request fewer).

    npm run trim-css                                                    # build, then trim
    .venv/bin/python scripts/trim_material_css.py --site-dir DIR        # trim from a build
    .venv/bin/python scripts/trim_material_css.py --site-dir DIR --check   # stale? (exit 1)

PurgeCSS (pinned in package.json) keeps each rule of Material's main.css and palette.css (the
palette's colours for all of Material's named colours, of which the site uses none: its own are
"custom", in site.css) whose selectors only
name classes, ids, elements and attributes that appear in the built site's HTML (every page, chart
page, embed view, the 404 page) or in the scripts that make markup at run time: Material's bundle
(search results, table wrappers, tooltips, the back-to-top button...) and the site's own. Custom
properties, @font-face and @keyframes are all kept.

What ships is the committed file (OUTPUT, linked from overrides/main.html), so a build needs no
node. tests/test_css_trim.py fails when it is stale: made from another Material version, or not
what this script makes from the site as it is now built (a template or a page that uses a class
the trimmed file lacks).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs/assets/stylesheets/material.trimmed.css"
SITE_SCRIPTS = ROOT / "docs/assets/javascripts"
RUNTIME = "chart-runtime.js"   # the charts' Vega bundle: it makes no markup Material styles

# Run by node: PurgeCSS's API, options as JSON on stdin, the trimmed CSS on stdout.
PURGE = r"""
import { PurgeCSS } from "purgecss";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = await new PurgeCSS().purge(JSON.parse(input));
process.stdout.write(results.map((result) => result.css.trim()).join("\n"));
"""


def material() -> tuple[str, list[Path], Path]:
    """Material's version, its main and palette stylesheets and its bundle, as installed (hashed names)."""
    from importlib.metadata import version

    import material as package

    assets = Path(package.__file__).parent / "templates/assets"
    sheets = [next(assets.glob(f"stylesheets/{name}.*.min.css")) for name in ("main", "palette")]
    (bundle,) = assets.glob("javascripts/bundle.*.min.js")
    return version("mkdocs-material"), sheets, bundle


def header(version: str, sheets: list[Path]) -> str:
    made_from = ", ".join(f"{css.name} (sha256 {hashlib.sha256(css.read_bytes()).hexdigest()[:16]}...)"
                          for css in sheets)
    return (f"/* Material for MkDocs {version}: {made_from}, trimmed to the rules the site uses by "
            f"scripts/trim_material_css.py (PurgeCSS). Made, not written: regenerate with "
            f"`npm run trim-css`. */\n")


def trim(site_dir: Path) -> str:
    """The trimmed stylesheet, header included, for the site built in ``site_dir``."""
    version, sheets, bundle = material()
    pages = sorted(str(p) for p in site_dir.rglob("*.html"))
    if not pages:
        raise SystemExit(f"{site_dir}: no built pages (*.html) to scan; build the site first")
    scripts = [str(bundle), *sorted(str(p) for p in SITE_SCRIPTS.glob("*.js") if p.name != RUNTIME)]
    sources = [css.read_text(encoding="utf-8").split("/*# sourceMappingURL")[0] for css in sheets]
    options = {"content": pages + scripts, "css": [{"raw": source} for source in sources]}
    result = subprocess.run(["node", "--input-type=module", "-e", PURGE], input=json.dumps(options),
                            capture_output=True, text=True, cwd=ROOT, check=False)
    if result.returncode:
        raise SystemExit(f"PurgeCSS failed (run `npm ci` for the pinned version):\n{result.stderr}")
    charset, trimmed = '@charset "UTF-8";', result.stdout.strip()
    if trimmed.startswith(charset):  # it must stay first, before the header, to count
        return charset + "\n" + header(version, sheets) + trimmed.removeprefix(charset) + "\n"
    return header(version, sheets) + trimmed + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", type=Path, help="a build of the site (default: build into a temp folder)")
    parser.add_argument("--check", action="store_true", help="only say whether the committed file is stale")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site_dir
        if site_dir is None:
            site_dir = Path(tmp) / "site"
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--site-dir", str(site_dir)], check=True)
        trimmed = trim(site_dir)
    if args.check:
        stale = not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != trimmed
        print(f"{OUTPUT.relative_to(ROOT)} is {'stale: run `npm run trim-css`' if stale else 'up to date'}")
        return int(stale)
    OUTPUT.write_text(trimmed, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(trimmed) / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
