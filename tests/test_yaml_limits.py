"""YAML bombs and oddities: each is refused within a second or two, as one problem at its place.

A fact file is a few kilobytes that a maintainer typed. Whatever else lands in data/ (a
runaway paste, a generated file, a hostile pull request) must end in a clear
``file:line:column: what is wrong`` and exit status 1, never a traceback or a hang.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SOURCE, copy_project
from facts.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, load_factbase
from facts.problems import ProblemsFound

# Of this process's CPU time, which other work on a shared machine does not stretch as it does the
# clock: generous for a slow CI machine; each case takes well under half a second here.
SECONDS = 2.0

LAUGHS = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] +
                   [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)])
# libyaml reads ahead through open brackets, and stops at its own limit of 1,000 levels before
# the composer sees the level past MAX_DEPTH: the problem is placed where libyaml stopped.
LIBYAML_DEEPEST = 1_000
DEEP_MAPPING = "".join(" " * i + "a:\n" for i in range(100)) + " " * 100 + "b: 1\n"


def refused(tmp_path: Path, content: str | bytes) -> list[str]:
    """The problem lines for data/bomb.yaml (next to a valid sources file), timed in CPU seconds."""
    data = tmp_path / "data"
    data.mkdir(parents=True)
    (data / "sources.yaml").write_text(SOURCE, encoding="utf-8")
    raw = content.encode("utf-8") if isinstance(content, str) else content
    (data / "bomb.yaml").write_bytes(raw)
    started = time.process_time()
    with pytest.raises(ProblemsFound) as caught:
        load_factbase(data, tmp_path)
    elapsed = time.process_time() - started
    assert elapsed < SECONDS, f"took {elapsed:.2f} s of CPU"
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("content, expected", [
    pytest.param("[" * 10_000 + "]" * 10_000,
                 f"data/bomb.yaml:1:{LIBYAML_DEEPEST + 1}: nested more than {MAX_DEPTH} levels deep; "
                 "a fact file needs six",
                 id="10000-nested-lists"),
    pytest.param("[" * 400_000,
                 f"data/bomb.yaml:1:{LIBYAML_DEEPEST + 1}: nested more than {MAX_DEPTH} levels deep; "
                 "a fact file needs six",
                 id="400000-open-brackets"),
    pytest.param("{a: " * 10_000 + "1" + "}" * 10_000,
                 f"data/bomb.yaml:1:{4 * MAX_DEPTH - 2}: nested more than {MAX_DEPTH} levels deep; "
                 "a fact file needs six",
                 id="10000-nested-flow-mappings"),
    pytest.param(DEEP_MAPPING,
                 f"data/bomb.yaml:{MAX_DEPTH}:{MAX_DEPTH}: nested more than {MAX_DEPTH} levels deep; "
                 "a fact file needs six",
                 id="100-nested-block-mappings"),
    pytest.param("- " * 100_000 + "x\n",
                 f"data/bomb.yaml:1:{2 * MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep; "
                 "a fact file needs six",
                 id="100000-nested-block-lists-on-one-line"),
    pytest.param(LAUGHS, "data/bomb.yaml:1:4: anchors and aliases (&name, *name) are not allowed here",
                 id="billion-laughs"),
    pytest.param("facts: [" + "1, " * MAX_NODES + "1]\n",
                 f"data/bomb.yaml:1:{9 + 3 * (MAX_NODES - 3)}: too many values (more than {MAX_NODES:,}); "
                 "split the file",
                 id="too-many-values-in-a-list"),
    pytest.param("facts:\n" + "  - {id: x}\n" * MAX_NODES,
                 f"data/bomb.yaml:{(MAX_NODES - 4) // 3 + 2}:6: too many values (more than {MAX_NODES:,}); "
                 "split the file",
                 id="too-many-entries"),
    pytest.param("facts: !!python/object/apply:os.system [echo pwned]\n",
                 "data/bomb.yaml:1:8: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
                 "allowed; write plain values",
                 id="python-apply-tag"),
    pytest.param("facts: !!binary aGVsbG8=\n",
                 "data/bomb.yaml:1:8: YAML tag 'tag:yaml.org,2002:binary' is not allowed; write plain values",
                 id="binary-tag"),
    pytest.param("facts: !foo {a: 1}\n",
                 "data/bomb.yaml:1:8: YAML tag '!foo' is not allowed; write plain values",
                 id="custom-tag-on-a-mapping"),
    pytest.param("facts:\n  - !!str " + "x" * 300 + "\n",
                 "data/bomb.yaml:2:5: YAML tag 'tag:yaml.org,2002:str' is not allowed; write plain values",
                 id="standard-tag"),
    pytest.param("facts: []\nevents: " + "x" * (MAX_FILE_BYTES - 30) + "\n",
                 "data/bomb.yaml:2:1: events: expected a list (lines starting with '- '), got "
                 "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxx' (text)",
                 id="a-line-just-under-the-size-limit"),
])
def test_bomb_is_refused_quickly_at_its_place(tmp_path, content, expected):
    problems = refused(tmp_path, content)
    assert expected in problems
    assert all(p.startswith("data/bomb.yaml:") for p in problems)


def test_huge_file_is_refused_before_it_is_read(tmp_path):
    assert refused(tmp_path, "# " + "x" * MAX_FILE_BYTES + "\n") == [
        f"data/bomb.yaml:1:1: file is {MAX_FILE_BYTES + 3:,} bytes; a fact file may be at most "
        f"{MAX_FILE_BYTES:,} (split it into several files)"]


@pytest.mark.parametrize("make, expected", [
    (lambda path: path.mkdir(), "data/odd.yaml:1:1: is a folder named like a .yaml file; rename it"),
    # A link is named as itself, and refused before anything follows it.
    (lambda path: path.symlink_to(path.with_name("gone.yaml")),
     "data/odd.yaml:1:1: is a symbolic link; the build reads only plain files inside the project: put the file "
     "itself here"),
])
def test_a_yaml_name_that_is_no_readable_file(tmp_path, make, expected):
    data = tmp_path / "data"
    data.mkdir()
    make(data / "odd.yaml")
    with pytest.raises(ProblemsFound) as caught:
        load_factbase(data, tmp_path)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_a_very_long_label_is_reported_with_its_length(tmp_path):
    fact = ("facts:\n  - id: a-fact\n    label: " + "ü" * 200_000 + "\n    value: 1\n    unit: workers\n"
            "    period: 2024\n    entities: [UZ]\n    sources: [{source: src-a, locator: p 1}]\n"
            "    as_of: 2024\n    checked: 2025-01-01\n")
    assert refused(tmp_path, fact) == [
        "data/bomb.yaml:3:5: facts[0](a-fact).label: is 200,000 characters long; expected at most 120"]
    # A label of 121 to 2,000 characters used to pass: the general text limit hid the label's own.
    assert refused(tmp_path / "121", fact.replace("ü" * 200_000, "ü" * 121)) == [
        "data/bomb.yaml:3:5: facts[0](a-fact).label: is 121 characters long; expected at most 120"]


@pytest.mark.parametrize("content, expected", [
    pytest.param(b"facts:\n  - a\n  - \xff\xfe\n", "data/bomb.yaml:3:5: not UTF-8 text (invalid start byte at "
                 "byte 17); save the file as UTF-8", id="invalid-utf8"),
    pytest.param(b"facts: [a]\nevents: b\x00\n", "data/bomb.yaml:2:10: character U+0000 is not allowed in YAML; "
                 "delete it (it is often invisible)", id="nul-byte"),
    pytest.param("facts: \"\\UFFFFFFFF\"\n", "data/bomb.yaml:1:11: YAML syntax error: while parsing a quoted "
                 "scalar found invalid Unicode character escape code (\\x, \\u and \\U give a character by its "
                 "code: U+0000 to U+10FFFF, but not U+D800 to U+DFFF)", id="escape-beyond-unicode"),
    pytest.param("facts: \"\\ud800\"\n", "data/bomb.yaml:1:11: YAML syntax error: while parsing a quoted "
                 "scalar found invalid Unicode character escape code (\\x, \\u and \\U give a character by its "
                 "code: U+0000 to U+10FFFF, but not U+D800 to U+DFFF)", id="lone-surrogate-escape"),
    pytest.param("facts: 0x_\n", "data/bomb.yaml:1:8: '0x_' looks like a number but cannot be read as one; write "
                 "digits such as 2000 or 1.5, or quote it as text", id="number-without-digits"),
    pytest.param("facts: " + "9" * 5000 + "\n", "data/bomb.yaml:1:8: '999999999999999999999999999999999999999999999"
                 "999999999…999' looks like a number but cannot be read as one; write digits such as 2000 or 1.5, "
                 "or quote it as text", id="number-with-5000-digits"),
    pytest.param("%YAML " + "1" * 5000 + ".1\n---\nfacts: []\n", "data/bomb.yaml:1:16: YAML syntax error: while "
                 "scanning a %YAML directive found extremely long version number", id="directive-with-5000-digits"),
    pytest.param("facts:\n\t- a\n", "data/bomb.yaml:2:1: YAML syntax error: while scanning for the next token found "
                 "character that cannot start any token (a tab: indent with spaces)", id="tab-indent"),
    pytest.param("facts: @a\n", "data/bomb.yaml:1:8: YAML syntax error: while scanning for the next token found "
                 "character that cannot start any token ('@', U+0040)", id="reserved-character"),
    pytest.param("\ufefffacts: @a\n", "data/bomb.yaml:1:8: YAML syntax error: while scanning for the next token "
                 "found character that cannot start any token ('@', U+0040)", id="reserved-character-after-a-bom"),
    pytest.param("facts: [a]\nevents: ü\x07\n", "data/bomb.yaml:2:10: character U+0007 is not allowed in YAML; "
                 "delete it (it is often invisible)", id="control-character-after-a-letter-of-two-bytes"),
    pytest.param("facts: []\n---\nevents: []\n", "data/bomb.yaml:2:1: YAML syntax error: expected a single "
                 "document in the stream but found another document", id="two-documents"),
])
def test_unreadable_text_is_one_clear_problem(tmp_path, content, expected):
    assert refused(tmp_path, content) == [expected]


def test_nesting_is_refused_before_pyyaml_recurses(tmp_path):
    # PyYAML's composer calls itself twice per level; with the guard (and libyaml's own limit,
    # which this file meets first), a 10,000-deep file never needs more than a few frames per
    # allowed level, even under a tight limit.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(_frames()) + 4 * MAX_DEPTH + 150)
    try:
        problems = refused(tmp_path, "[" * 10_000 + "]" * 10_000)
    finally:
        sys.setrecursionlimit(limit)
    assert problems == [f"data/bomb.yaml:1:{LIBYAML_DEEPEST + 1}: nested more than {MAX_DEPTH} levels deep; "
                        "a fact file needs six"]


def _frames() -> list:
    frames, frame = [], sys._getframe()
    while frame:
        frames.append(frame)
        frame = frame.f_back
    return frames


@pytest.mark.parametrize("bomb", ["[" * 10_000 + "]" * 10_000, LAUGHS])
def test_build_check_reports_a_bomb_without_a_traceback(tmp_path, bomb):
    root = copy_project(tmp_path / "project")
    (root / "data" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "build.py", "--check"], cwd=root, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("data/bomb.yaml:1:"), result.stderr
    assert result.stderr.endswith("1 problem found; nothing was built.\n")
    assert time.perf_counter() - started < 30  # the interpreter and imports, then about a second
