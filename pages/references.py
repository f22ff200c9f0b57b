"""The small syntax pages use to pull in facts and charts, and its checker.

    Remittances reach {{ fact: tj-kg-remittances-share-gdp }} in Tajikistan.
    {{ chart: remittances-share-gdp }}

A reference is a kind and, for most kinds, an id. Unknown kinds and ids are
reported with the page's file:line:column before anything is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from facts.problems import Problem, display_path, line_column

REFERENCE = re.compile(r"\{\{\s*(?P<kind>[a-z][a-z-]*)\s*(?::\s*(?P<id>[^\s}]*))?\s*\}\}")
# Anything in double braces: what is not a valid REFERENCE is reported, never left on a page.
ANYTHING_IN_BRACES = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# Once those are set aside: a lone pair of braces, or a reference written with single braces.
UNBALANCED = re.compile(r"\{\{|\}\}|(?<!\{)\{\s*[a-z][a-z-]*\s*:\s*[a-z0-9-]+\s*\}\}?")

@dataclass(frozen=True)
class Kind:
    """One kind of reference: what its id names, what it becomes, and what it lists.

    This table is the one place that says so: the checker, the reach of a change
    (pages/reach.py) and the reference tables in README.md and CONTRIBUTING.md are made from it.
    """

    name: str
    names: str | None             # what the id names ("fact", "event", ...); None: it takes no id
    example: str                  # a reference as a page writes it
    becomes: str                  # what a reader sees, for the docs
    lists: frozenset[str] = frozenset()   # without an id: the kinds of item it lists

    def shows(self, item_kind: str) -> bool:
        """Whether a reference of this kind, naming an item of ``item_kind`` ("fact", "event",
        "source"), shows that item on the page."""
        return self.names is not None and self.names.removeprefix("dated ") == item_kind


KIND_LIST = [
    Kind("fact", "fact", "{{ fact: uz-remittances-share-gdp-2024 }}",
         '"about 14% of GDP", linked to its row on the data page; one to nine in words ("four")'),
    Kind("period", "dated fact", "{{ period: uz-remittances-total-2024 }}",
         '"2024" (only for a fact with a `period`: an undated fact is refused)'),
    Kind("card", "fact", "{{ card: uae-limit-after }}", "a key-figure card"),
    Kind("date", "event", "{{ date: moscow-bathhouse-beating }}", '"10 April 2025", linked to the timeline'),
    Kind("source", "source", "{{ source: carnegie-politika-2025-10 }}", "the full citation, linked"),
    Kind("chart", "chart", "{{ chart: destinations }}", "the chart with its caption, source and downloads"),
    Kind("scrolly", "scrolly", "{{ scrolly: russia-and-the-doors }}",
         "a scrolled sequence (`scrollies:` in data/): its steps' words over one pinned chart, each step's "
         "picture drawn at build time"),
    Kind("term", "term", "{{ term: eaeu }}", '"Eurasian Economic Union", linked to its glossary entry'),
    Kind("fact-table", None, "{{ fact-table }}", "every fact, each row the target of fact links",
         frozenset({"fact", "source"})),
    Kind("source-list", None, "{{ source-list }}", "every source, with the facts and events that cite it",
         frozenset({"fact", "event", "source"})),
    Kind("event-list", None, "{{ event-list }}", "every event in order, each the target of date links",
         frozenset({"event", "source"})),
    Kind("glossary", None, "{{ glossary }}", "every glossary term with its definition"),
    Kind("correction-list", None, "{{ correction-list }}", "every correction, newest first",
         frozenset({"fact", "event"})),
]
KINDS: dict[str, Kind] = {kind.name: kind for kind in KIND_LIST}


def markdown_table() -> str:
    """The reference table of README.md and CONTRIBUTING.md, made from KIND_LIST."""
    rows = [f"| `{kind.example}` | {kind.becomes} |" for kind in KIND_LIST]
    return "\n".join(["| write | becomes |", "|---|---|", *rows])


@dataclass(frozen=True)
class Reference:
    kind: str
    id: str | None
    line: int
    column: int
    start: int
    end: int


def find_references(text: str) -> Iterator[Reference]:
    for match in REFERENCE.finditer(text):
        line, column = line_column(text, match.start())
        yield Reference(match["kind"], match["id"] or None, line, column, match.start(), match.end())


def check_references(text: str, shown_path: str, known: dict[str, set[str]]) -> list[Problem]:
    """Problems with the references in one page; ``known`` maps 'fact'/'chart'/'event' to their ids."""
    problems = []
    valid = {ref.start for ref in find_references(text)}
    for match in ANYTHING_IN_BRACES.finditer(text):
        if match.start() not in valid:
            line, column = line_column(text, match.start())
            problems.append(Problem(shown_path, line, column, "reference",
                                    f"malformed reference {match.group(0)!r}; expected {{{{ kind: id }}}} "
                                    f"with a lower-case kind and one id, or {{{{ kind }}}}"))
    # What is left once every {{ ... }} is accounted for: a lone "{{" or "}}" is a reference with a
    # brace missing, and "{ fact: x }" one with single braces; either would be printed as text.
    rest = ANYTHING_IN_BRACES.sub(lambda m: " " * len(m.group(0)), text)
    for match in UNBALANCED.finditer(rest):
        line, column = line_column(text, match.start())
        problems.append(Problem(shown_path, line, column, "reference",
                                f"unbalanced braces {text[match.start():match.start() + 40].splitlines()[0]!r}; "
                                "expected {{ kind: id }}, with two braces on each side"))
    for ref in find_references(text):
        where = (shown_path, ref.line, ref.column)
        if ref.kind not in KINDS:
            problems.append(Problem(*where, ref.kind, f"unknown reference kind; expected one of: "
                                                      f"{', '.join(sorted(KINDS))}"))
            continue
        names = KINDS[ref.kind].names
        if names is None:
            if ref.id:
                problems.append(Problem(*where, ref.kind, f"takes no id, got {ref.id!r}"))
        elif not ref.id:
            problems.append(Problem(*where, ref.kind, f"needs an id: {{{{ {ref.kind}: some-id }}}}"))
        elif names == "dated fact" and ref.id in known.get("fact", set()) - known.get(names, known.get("fact", set())):
            problems.append(Problem(*where, ref.kind, f"fact {ref.id!r} has no period: its source gives no "
                                                      "year, so none can be shown; write the sentence without it"))
        else:
            pool = known.get(names, known.get("fact") if names == "dated fact" else None)
            if pool is not None and ref.id not in pool:   # None: those ids could not be read this run
                problems.append(Problem(*where, ref.kind, f"unknown {names} id {ref.id!r}" + _suggest(ref.id, pool)))
    return problems


def _suggest(wrong: str, ids: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(wrong, sorted(ids), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_pages(pages: Mapping[str, str], docs_dir: Path, root: Path, known: dict[str, set[str]]) -> list[Problem]:
    """Bad references in the Markdown pages (``pages``: path under ``docs_dir`` -> text).
    A kind missing from ``known`` is not checked for unknown ids (its data did not load)."""
    problems = []
    for src, text in pages.items():
        if src.endswith(".md"):
            problems += check_references(text, display_path(docs_dir / src, root), known)
    return problems


def first_chart(markdown: str) -> str | None:
    """The id of the page's first chart: drawn eagerly, and the picture its link previews show."""
    return next((ref.id for ref in find_references(markdown) if ref.kind == "chart"), None)


def replace_references(text: str, render: Callable[[Reference], str]) -> str:
    """The page with each reference replaced by what ``render`` makes of it."""
    out, last = [], 0
    for ref in find_references(text):
        out += [text[last:ref.start], render(ref)]
        last = ref.end
    out.append(text[last:])
    return "".join(out)
