"""The tests' pages start as pages of fresh contexts would (conftest.py, ``Contexts``), although
the contexts are shared: nothing an earlier test's page stored, cached or left open is there."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import Tab, serving

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"}
LEAVE_TRACES = """() => {
  localStorage.setItem('left', 'behind');
  sessionStorage.setItem('left', 'behind');
  document.cookie = 'left=behind; max-age=600; path=/';
}"""
TRACES = "() => [localStorage.getItem('left'), sessionStorage.getItem('left'), document.cookie]"


def test_a_tab_starts_with_nothing_an_earlier_tab_left(contexts, site):
    served: list[str] = []
    with serving(site.dir, served) as url:
        first = Tab(contexts, url, **PHONE)
        first.goto("crackdown/", wait_until="networkidle")
        first.page.evaluate(LEAVE_TRACES)
        assert first.page.evaluate(TRACES) == ["behind", "behind", "left=behind"], "the traces were not left"
        first.context.new_page().goto(url + "about/")   # a page the test leaves open
        first.close()

        second = Tab(contexts, url, **PHONE)
        served.clear()
        assert second.context is first.context, "the same options share a context"
        assert second.page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        second.goto("crackdown/", wait_until="networkidle")
        assert second.page.evaluate(TRACES) == [None, None, ""], "storage or a cookie of the earlier page"
        # Every file the page loaded, which the earlier page loaded too, came from the server: none
        # from a cache.
        asked = [urlsplit(request).path for request in second.requests]
        assert "/assets/stylesheets/site.css" in asked and sorted(asked) == sorted(served), (asked, served)
        others = [page.url for page in second.context.pages if page is not second.page]
        assert [page for page in others if not page.endswith("/favicon.svg")] == [], others
        second.close()
