"""The committed, trimmed copy of Material's stylesheet (scripts/trim_material_css.py) is not stale.

What ships is docs/assets/stylesheets/material.trimmed.css, so a build needs no node. It goes
stale when Material is upgraded (its header names the version and stylesheet it was made from:
checked without node) or when the site's markup changes (a template or page uses a class of
Material's that the trimmed file dropped): checked by trimming again from the real build with the
pinned PurgeCSS, which needs node and `npm ci` (skipped without them, failed in CI).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scripts.trim_material_css import OUTPUT, header, material, trim

ROOT = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI"))
PURGECSS = ROOT / "node_modules/purgecss/package.json"


def test_made_from_the_installed_material():
    version, sheets, _ = material()
    assert OUTPUT.exists(), f"{OUTPUT.relative_to(ROOT)} is missing: run `npm run trim-css`"
    assert header(version, sheets) in OUTPUT.read_text(encoding="utf-8"), (
        f"{OUTPUT.relative_to(ROOT)} was not made from Material {version}'s "
        f"{' and '.join(css.name for css in sheets)}: run `npm run trim-css`")


def test_the_pages_link_the_trimmed_file_in_place_of_materials():
    """overrides/main.html swaps Material's two stylesheets, by name, for the trimmed one: the names
    must be the installed ones (else the pages would ship Material's files, untrimmed, as well)."""
    _, sheets, _ = material()
    template = (ROOT / "overrides/main.html").read_text(encoding="utf-8")
    for css in sheets:
        assert f"'assets/stylesheets/{css.name}'" in template, (
            f"overrides/main.html does not replace Material's {css.name} with {OUTPUT.name}")


def test_up_to_date_with_the_site():
    if not (shutil.which("node") and PURGECSS.exists()):
        if IN_CI:
            pytest.fail("CI must check the trimmed stylesheet: node and `npm ci` are needed")
        pytest.skip("node or the pinned PurgeCSS is missing (`npm ci`): cannot re-trim to compare")
    from sites import real_site

    site_dir = real_site()
    assert (site_dir / "assets/stylesheets" / OUTPUT.name).exists(), "the build did not ship the trimmed file"
    assert trim(site_dir) == OUTPUT.read_text(encoding="utf-8"), (
        f"{OUTPUT.relative_to(ROOT)} is stale for the site as built now: run `npm run trim-css`")


def test_trimming_keeps_what_the_pages_use_and_drops_what_they_do_not():
    """The trim is real: rules for markup the site has (its header, search results the bundle
    makes) stay; rules for Material features it does not use (the blog, cookie consent) go."""
    trimmed = OUTPUT.read_text(encoding="utf-8")
    _, sheets, _ = material()
    full = "".join(css.read_text(encoding="utf-8") for css in sheets)
    for kept in (".md-header__button", ".md-search-result__item", ".md-typeset table", ".md-top"):
        assert kept in trimmed, kept
    assert '[data-md-color-scheme=slate]' in trimmed   # the dark palette
    for dropped in (".md-post__", ".md-consent__", ".md-tabs__", "[data-md-color-primary=indigo]"):
        assert dropped in full and dropped not in trimmed, dropped
    assert len(trimmed) < 0.8 * len(full)
