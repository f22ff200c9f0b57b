"""pages/csp.py: hashes of inline scripts and styles, and where the policy goes."""

from __future__ import annotations

import base64
import hashlib

import pytest

from pages import csp

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>A page</title>
<link rel="stylesheet" href="site.css">
<script>var palette = 1;</script>
<script id="__config" type="application/json">{"base": "."}</script>
<script src="bundle.js"></script>
<style>p { color: red; }</style>
</head><body>
<article>CONTENT</article>
<script type="module">import "./x.js";</script>
<script type="text/x-mathjax-config">MathJax.Hub.Config({});</script>
</body></html>
"""


def policy_of(html: str) -> dict[str, list[str]]:
    found = csp.META.findall(html)
    assert len(found) == 1
    return csp.parse(found[0])


def test_hash_of_a_known_script():
    # As CSP defines it: base64 of the SHA-256 of the script's UTF-8 text.
    expected = base64.b64encode(hashlib.sha256(b"var palette = 1;").digest()).decode()
    assert csp.sha256("var palette = 1;") == f"'sha256-{expected}'"
    # The browser parses \r\n as \n before it hashes.
    assert csp.sha256("a;\r\nb;") == csp.sha256("a;\nb;")


def test_executable_inline_scripts_and_styles_are_hashed():
    scripts, styles = csp.inline_hashes(PAGE)
    assert scripts == [csp.sha256("var palette = 1;"), csp.sha256('import "./x.js";')]
    assert styles == [csp.sha256("p { color: red; }")]


def test_meta_comes_first_in_head_before_any_script():
    html = csp.add_policy(PAGE)
    head = html.index("<head>")
    assert html.index('<meta charset="utf-8">') < html.index("Content-Security-Policy") < html.index("<script")
    assert html.index("Content-Security-Policy") - head < 100
    policy = policy_of(html)
    assert policy["script-src"] == ["'self'", csp.sha256("var palette = 1;"), csp.sha256('import "./x.js";')]
    assert policy["style-src"] == ["'self'", csp.sha256("p { color: red; }")]
    assert "frame-ancestors" not in policy, "ignored in a <meta> tag"
    text = csp.META.search(html).group(1)
    assert "unsafe" not in text and "http" not in text


def test_a_changed_inline_script_gets_another_hash():
    before = policy_of(csp.add_policy(PAGE))["script-src"]
    after = policy_of(csp.add_policy(PAGE.replace("var palette = 1;", "var palette = 2;")))["script-src"]
    assert before != after and csp.sha256("var palette = 2;") in after


def test_scripts_in_the_page_content_get_no_hash():
    content = "<article><script>alert(1)</script><style>body{}</style></article>"
    html = csp.add_policy(PAGE.replace("<article>CONTENT</article>", content), content=content)
    policy = policy_of(html)
    assert csp.sha256("alert(1)") not in policy["script-src"]
    assert csp.sha256("body{}") not in policy["style-src"]
    assert csp.sha256("var palette = 1;") in policy["script-src"]


def test_a_page_without_head_is_refused():
    with pytest.raises(ValueError):
        csp.add_policy("<p>no head</p>")


def test_headers_file_joins_every_page_policy(tmp_path):
    (tmp_path / "index.html").write_text(csp.add_policy(PAGE), encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.html").write_text(
        csp.add_policy(PAGE.replace("var palette = 1;", "var other = 1;")), encoding="utf-8")
    text = csp.write_headers(tmp_path).read_text(encoding="utf-8")
    header = text.split("Content-Security-Policy: ", 1)[1].strip()
    policy = csp.parse(header)
    assert csp.sha256("var palette = 1;") in policy["script-src"]
    assert csp.sha256("var other = 1;") in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert text.splitlines()[1] == "/*"
