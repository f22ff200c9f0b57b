"""The Content-Security-Policy: strict, enforced, and nothing a reader does breaks it.

Every story and reference page is read under it in test_pages.py (one visit per page); here
the pages that visit does not cover, and proof that the recorder sees what the policy blocks.
Violations are recorded both as ``securitypolicyviolation`` events and as Chromium's console
messages (helpers.Recorder).
"""

from __future__ import annotations

import pytest

from .helpers import Recorder, check_meta, make_charts_live, search, switch_to_dark

pytestmark = pytest.mark.browser


def use_like_a_reader(tab, path: str, charts) -> list[str]:
    recorder = Recorder(tab)
    page = tab.goto(path)
    check_meta(page)
    make_charts_live(page, charts)
    switch_to_dark(page, charts)
    search(page)
    page.wait_for_load_state("networkidle")
    assert tab.page_errors == [], "uncaught errors in the page"
    return recorder.violations()


def test_not_found_page_works_under_its_policy(open_tab, site):
    tab = open_tab(color_scheme="light")
    violations = use_like_a_reader(tab, "404.html", [])
    assert violations == [], "404.html: Content-Security-Policy violations:\n" + "\n".join(violations)


def test_notebook_copy_button_works_under_its_policy(open_tab, site):
    """mkdocs-jupyter's copy buttons are inline scripts: the page's hashes must let them run."""
    if "explore/" not in site.pages:
        pytest.skip("no notebook page in this build")
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    recorder = Recorder(tab)
    page = tab.goto("explore/")
    page.locator("clipboard-copy").first.click()
    page.locator("clipboard-copy .notice").first.wait_for(state="visible")
    assert page.evaluate("() => navigator.clipboard.readText()").strip(), "nothing was copied"
    assert recorder.violations() == []


def test_policy_is_enforced(open_tab, site):
    """The recorder sees what the policy blocks: inline script, inline handler, eval, another host."""
    tab = open_tab()
    recorder = Recorder(tab)
    page = tab.goto("")
    page.evaluate("""() => {
        window.__ran = [];
        const script = document.createElement('script');
        script.textContent = 'window.__ran.push("inline script")';
        document.body.append(script);
        document.body.insertAdjacentHTML('beforeend',
            '<img src="data:," alt="" onload="window.__ran.push(\\'handler\\')">');
        setTimeout('window.__ran.push("string timer")');  // eval by another name
        new Image().src = 'https://example.org/pixel.png';
    }""")
    page.wait_for_function("() => window.__cspViolations.length >= 4")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran") == []
    violations = recorder.violations()
    for directive in ("script-src-elem", "script-src-attr", "script-src", "img-src"):
        assert any(v.startswith(directive + " ") for v in violations), (directive, violations)
