"""Read data/*.yaml into validated facts, reporting every problem with file:line:column.

PyYAML is used in two steps: ``compose`` gives a node tree that knows where each
value stands, and ``_Reader.to_python`` turns it into plain data while recording those
places. The text is parsed by libyaml (shipped in PyYAML's wheels), about six times as fast
as PyYAML's own parser; the tree is composed in Python, so that each node can be checked
before it is built.  Pydantic errors carry a path such as ``('facts', 2, 'value')``; the
recorded places turn that path back into a line a maintainer can open.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser
from yaml.resolver import Resolver

from .inputs import walk
from .problems import Problem, ProblemsFound, display_path, line_column
from .schema import (
    MAX_FIGURE,
    Annotation,
    Citation,
    Correction,
    DataFile,
    Event,
    Fact,
    Scrolly,
    ScrollyStep,
    Source,
    SourceRole,
    Term,
    quoted,
)

# Hand-written fact files are a few kilobytes with a few hundred values. The limits keep a
# mistaken or hostile file to a fraction of a second of reading (BENCHMARKS.md, "Hostile input":
# libyaml reads the largest allowed file in about 0.03 s, and 10,000 values in as little), and
# PyYAML's composer, in Python, recurses once per level of nesting.
MAX_FILE_BYTES = 500_000     # the largest data file is about 6 KB
MAX_DEPTH = 20               # a fact's citation is six levels deep; deeper is a mistake or an attack
MAX_NODES = 10_000           # values and lists/mappings in one file; the largest file has about 400

_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; a fact file needs six"

Path_ = tuple  # a place in a document: ('facts', 2, 'value')


class _YamlProblem(Exception):
    def __init__(self, mark: Any, message: str):
        self.mark, self.message = mark, message


class _Loader(Composer, CParser, SafeConstructor, Resolver):
    """A safe loader that keeps dates as text, reads only true/false as booleans, and composes
    only plain values: no anchors, aliases or tags, at most MAX_DEPTH deep and MAX_NODES many.
    libyaml's parser gives the events (``CParser``); PyYAML's composer, first in line, builds
    the nodes from them, through ``compose_node`` below (``yaml.CSafeLoader`` composes in C).

    Dates are validated by the schema, so "2025-02-30" is a clear error rather
    than a crash inside PyYAML, and a country code such as NO stays a string.
    The limits are checked as each node starts, before the composer recurses into it
    (libyaml reads ahead through open brackets, but only up to its own limit of 1,000).
    """

    depth = nodes = 0

    def __init__(self, stream: str):
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            # Hand-written facts never need them, and they are how "billion laughs" documents blow up.
            raise _YamlProblem(event.start_mark, "anchors and aliases (&name, *name) are not allowed here")
        if event.tag is not None:
            raise _YamlProblem(event.start_mark, f"YAML tag {quoted(event.tag)} is not allowed; write plain values")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _YamlProblem(event.start_mark, f"too many values (more than {MAX_NODES:,}); split the file")
        if self.depth >= MAX_DEPTH:
            raise _YamlProblem(event.start_mark, _TOO_DEEP)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Only plain scalars are resolved: no timestamps, no YAML 1.1 yes/no booleans, and "<<" and
# "=" stay text rather than becoming merge keys and "value" tags.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:merge",
        "tag:yaml.org,2002:value")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
}


@dataclass
class _Reader:
    loader: _Loader
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Values that read but must be rewritten (a number in YAML 1.1's other forms, a hidden
    # character): reported with the file's other problems, while the rest of it is still checked.
    flagged: list[tuple[Any, str]] = field(default_factory=list)

    def to_python(self, node: yaml.Node, path: Path_ = ()) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                    raise _YamlProblem(key_node.start_mark, "a field name must be plain text")
                key = key_node.value
                if key in result:
                    raise _YamlProblem(key_node.start_mark, f"field {key!r} is given twice in the same entry")
                self.positions[path + (key,)] = _place(key_node.start_mark)
                result[key] = self.to_python(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[path + (index,)] = _place(item.start_mark)
                items.append(self.to_python(item, path + (index,)))
            return items
        if node.tag not in _SCALAR_TAGS:
            raise _YamlProblem(node.start_mark, f"YAML tag {quoted(node.tag)} is not allowed; write plain values")
        if node.tag in _NUMBER_TAGS and not _PLAIN_NUMBER.fullmatch(node.value) and not _SPECIAL.fullmatch(node.value):
            # YAML 1.1 reads 010 as 8, 1:30 as 90, 0x10 as 16: never what a maintainer means.
            read_as = self._as_yaml_reads(node)
            if read_as is not None:
                self.flagged.append((node.start_mark, f"{quoted(node.value)} is not a plain decimal number (YAML "
                                                      f"would read it as {read_as}); write digits such as 2000, 40 "
                                                      "or 1.5, or quote it if it is text"))
                return _FLAGGED
        if node.tag == "tag:yaml.org,2002:str":
            hidden = next((c for c in node.value if unicodedata.category(c) == "Cf"), None)
            if hidden:
                # Invisible, or turning text around: a right-to-left override in a label reverses the
                # figures beside it in a table cell. No fact needs one.
                self.flagged.append((node.start_mark, f"invisible or direction-changing character "
                                                      f"U+{ord(hidden):04X} ({unicodedata.name(hidden, 'unnamed')}) "
                                                      "in the text; delete it"))
                return _FLAGGED
        try:
            return self.loader.construct_object(node)
        except (ValueError, ArithmeticError):
            # Reads as a number to YAML, yet is none ("0x_"), or has more digits than Python reads.
            raise _YamlProblem(node.start_mark, f"{quoted(node.value)} looks like a number but cannot be read "
                                                "as one; write digits such as 2000 or 1.5, or quote it as text") \
                from None


    def _as_yaml_reads(self, node: yaml.Node) -> str | None:
        """What YAML makes of a number form, or None if it makes nothing (reported below)."""
        try:
            return repr(self.loader.construct_object(node))
        except (ValueError, ArithmeticError):
            self.loader.recursive_objects.pop(node, None)   # so the reading below can try again
            return None


# Stands in for a flagged value, so validation goes on around it; its own problem says what to fix.
_FLAGGED = "(flagged)"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
_SPECIAL = re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")   # refused by the schema, with its own message


def _place(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _plain(text: str) -> str:
    """Text as typed if it is short and prints on one line, else its shortened repr."""
    return text if text.isprintable() and len(text) <= 60 else quoted(text)


def read_yaml(path: Path, root: Path) -> tuple[Any, dict[Path_, tuple[int, int]], list[Problem]]:
    """Plain data and the line:column of every value, or the problems that stop reading."""
    shown = display_path(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, {}, [Problem(shown, 1, 1, "", f"file is {size:,} bytes; a fact file may be at most "
                                                      f"{MAX_FILE_BYTES:,} (split it into several files)")]
        raw = path.read_bytes()
    except OSError as err:  # a folder named x.yaml, a broken link, no permission
        return None, {}, [Problem(shown, 1, 1, "", f"cannot be read: {err.strerror or err}; expected a text file")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        readable = raw[:err.start].decode("utf-8")
        line, col = line_column(readable, len(readable))
        return None, {}, [Problem(shown, line, col, "", f"not UTF-8 text ({err.reason} at byte {err.start}); "
                                                        "save the file as UTF-8")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        reader = _Reader(loader)
        data = reader.to_python(node) if node is not None else {}
    except _YamlProblem as err:
        line, col = _place(err.mark)
        return None, {}, [Problem(shown, line, col, "", err.message)]
    except yaml.reader.ReaderError as err:
        # libyaml counts the place in bytes of UTF-8; the problem is shown by character.
        line, col = line_column(text, len(text.encode("utf-8")[:err.position].decode("utf-8", "ignore")))
        return None, {}, [Problem(shown, line, col, "", f"character U+{err.character:04X} is not allowed in YAML; "
                                                        "delete it (it is often invisible)")]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = _place(mark) if mark else (1, 1)
        if "maximum nesting depth" in str(err.problem):
            # libyaml reads ahead through brackets and stops at its own limit (1,000 levels), before
            # the composer sees the level past MAX_DEPTH.
            return None, {}, [Problem(shown, line, col, "", _TOO_DEEP)]
        return None, {}, [Problem(shown, line, col, "", f"YAML syntax error: {_syntax_error(err, text, mark)}")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, {}, [Problem(shown, 1, 1, "", "expected a mapping with any of sources:, facts:, events:, "
                                                    "corrections: and glossary:")]
    flagged = [Problem(shown, *_place(mark), "", message) for mark, message in reader.flagged]
    return data, reader.positions, flagged


def _syntax_error(err: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    """libyaml's words for a syntax error, with what a maintainer needs to find it."""
    what = " ".join(filter(None, [err.context, err.problem]))
    if "block" in what:
        what += " (is this line indented differently from the lines around it?)"
    if "mapping values are not allowed" in what:
        what += (" (a value holding a colon and a space must be quoted; or is this line indented more than"
                 " the one above?)")
    if "escape" in what:
        what += " (\\x, \\u and \\U give a character by its code: U+0000 to U+10FFFF, but not U+D800 to U+DFFF)"
    body = text.removeprefix("\ufeff")   # libyaml's marks do not count a byte-order mark
    if "cannot start any token" in what and mark and mark.index < len(body):
        found = body[mark.index]
        what += " (a tab: indent with spaces)" if found == "\t" else f" ({quoted(found)}, U+{ord(found):04X})"
    return what


def _field_name(loc: Iterable[Any], data: Any) -> str:
    """('facts', 2, 'value') -> 'facts[2] uz-remittances-total: value'-ish readable path."""
    text, node = "", data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f"({_plain(node['id'])})"
        else:
            name = _plain(str(part))
            text += f".{name}" if text else name
            node = node.get(part) if isinstance(node, dict) else None
    return text


_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "model_type": "a mapping of field: value",
    "dict_type": "a mapping of field: value",
    "bool_type": "true or false",
}


def _message(error: dict, model_fields: dict[str, Any]) -> str:
    kind, got = error["type"], error.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        known = ", ".join(model_fields) if model_fields else "none"
        return f"is not a known field; expected one of: {known}"
    if kind in _EXPECTED:
        shown = "nothing" if got is None else f"{quoted(got)} ({type(got).__name__.replace('str', 'text')})"
        return f"expected {_EXPECTED[kind]}, got {shown}"
    if kind == "enum":
        return f"expected one of {error['ctx']['expected']}, got {quoted(got)}"
    if kind == "too_short":
        return "needs at least one entry; the list is empty"
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "id":
        return f"expected lower-case letters and digits joined by hyphens (like uz-remittances-2024), got {quoted(got)}"
    if kind == "string_too_short":
        return "is empty; expected some text"
    if kind == "string_too_long":
        return f"is {len(got):,} characters long; expected at most {error['ctx']['max_length']:,}"
    if kind == "finite_number":
        return f"expected a finite number, got {quoted(got)}"
    if kind in ("less_than_equal", "greater_than_equal"):
        return f"expected a number between -{MAX_FIGURE:,.0f} and {MAX_FIGURE:,.0f}, got {quoted(got)}"
    return error["msg"].removeprefix("Value error, ")


# Errors raised for a whole fact are reported at the field a maintainer must change.
_FIELD_OF_ERROR = {"range_order": "low", "range_qualifier": "qualifier", "value_or_range": "value",
                   "period_both": "period_text", "annotation_anchor": "fact", "annotation_line": "kind"}


def _error_loc(error: dict) -> tuple:
    loc = tuple(error["loc"])
    field = _FIELD_OF_ERROR.get(error["type"]) or (error.get("ctx") or {}).get("name")
    if error["type"] in _FIELD_OF_ERROR or error["type"] in ("percent", "negative", "range_incomplete"):
        return loc + (field,)
    return loc


def _model_at(loc: tuple, data: Any) -> type | None:
    """The model class whose field list explains an 'extra field' error at loc."""
    classes = {"sources": Source, "facts": Fact, "events": Event, "corrections": Correction, "glossary": Term,
               "annotations": Annotation, "scrollies": Scrolly}
    if not loc:
        return DataFile
    if loc[0] in classes and len(loc) == 2:
        return classes[loc[0]]
    if loc[0] in ("facts", "events") and len(loc) == 4 and loc[2] == "sources":
        return Citation
    if loc[0] == "scrollies" and len(loc) == 4 and loc[2] == "steps":
        return ScrollyStep
    return None


@dataclass
class _FileResult:
    parsed: DataFile | None
    positions: dict[Path_, tuple[int, int]]
    problems: list[Problem]
    raw: Any = None  # the plain data, when the YAML itself could be read


def validate_file(path: Path, root: Path) -> _FileResult:
    data, positions, problems = read_yaml(path, root)
    if data is None:
        return _FileResult(None, {}, problems)
    shown = display_path(path, root)
    flagged_lines = {p.line for p in problems}
    try:
        parsed = DataFile.model_validate(data)
        return _FileResult(None if problems else parsed, positions, problems, data)
    except ValidationError as err:
        for error in err.errors():
            loc = _error_loc(error)
            line, col = _nearest(positions, loc)
            if error.get("input") == _FLAGGED and line in flagged_lines:
                continue   # the flagged value's own problem is reported
            model = _model_at(loc[:-1], data) if error["type"] == "extra_forbidden" else None
            fields = list(model.model_fields) if model else {}
            problems.append(Problem(shown, line, col, _field_name(loc, data), _message(error, fields)))
        return _FileResult(None, positions, problems, data)


def _declared_ids(raw: Any, kind: str) -> set[str]:
    """The ids of a kind ("sources", "facts", ...) a file declares, read from its plain data even
    if validation failed."""
    entries = raw.get(kind) if isinstance(raw, dict) else None
    return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)} \
        if isinstance(entries, list) else set()


KINDS = tuple(DataFile.model_fields)   # "sources", "facts", "events", "corrections", "glossary", "annotations"


def _nearest(positions: dict[Path_, tuple[int, int]], loc: tuple) -> tuple[int, int]:
    for end in range(len(loc), 0, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return (1, 1)


@dataclass
class FactBase:
    """Every validated source, fact and event, and where each was defined."""

    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    defined_at: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    corrections: dict[str, Correction] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)
    annotations: dict[str, Annotation] = field(default_factory=dict)
    scrollies: dict[str, Scrolly] = field(default_factory=dict)
    # (id, field) -> where that field of that item stands, for problems found across files.
    field_at: dict[tuple[str, str], tuple[str, int, int]] = field(default_factory=dict)

    def fact(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    def citations(self, item: Fact | Event) -> list[tuple[Source, str]]:
        return [(self.sources[c.source], c.locator) for c in item.sources]

    def second_sources(self, item: Fact | Event) -> list[tuple[Source, Citation]]:
        """The sources other than the retold article that an item cites, with what each says."""
        return [(self.sources[c.source], c) for c in item.sources
                if self.sources[c.source].role is not SourceRole.retold]

    def dated_by(self, event: Event) -> list[Source]:
        """The second sources that give the event's date as precisely as it is shown."""
        return [self.sources[c.source] for c in event.sources if c.dates]

    def events_in_order(self) -> list[Event]:
        """Events by date; one known only to the month sorts at its start, except that a reply is
        never placed before the event it answers ("Kyrgyzstan detains four", April 2025, after the
        raid of 10 April it followed)."""
        def key(event: Event) -> tuple:
            start = max([event.date.first_day()] + [self.events[c].date.first_day() for c in event.responds_to
                                                     if c in self.events])
            return (start, bool(event.responds_to), event.date, event.id)
        return sorted(self.events.values(), key=key)

    @property
    def retold(self) -> Source:
        return next(s for s in self.sources.values() if s.role is SourceRole.retold)


def load_factbase(data_dir: Path, root: Path | None = None) -> FactBase:
    """Validate every data/*.yaml file; raise ProblemsFound listing all problems."""
    root = root or data_dir.parent
    base = FactBase()
    found, problems = walk(data_dir, root, (".yaml", ".yml"))
    files = [f for f in found if f.parent == data_dir and f.suffix in (".yaml", ".yml")]
    if not files and not problems:
        problems.append(Problem(display_path(data_dir, root), 1, 1, "", "no .yaml fact files found"))
    cited: list[tuple[str, tuple[int, int], str, str]] = []
    declared_ids: dict[str, set[str]] = {kind: set() for kind in KINDS}   # incl. entries that failed
    unreadable = bool(problems)  # a file not read (a link, a broken YAML file) may declare any id
    for path in files:
        result = validate_file(path, root)
        problems += result.problems
        for kind in KINDS:
            declared_ids[kind] |= _declared_ids(result.raw, kind)
        unreadable |= result.raw is None
        parsed, positions = result.parsed, result.positions
        if parsed is None:
            continue
        shown = display_path(path, root)
        for kind in KINDS:
            for index, item in enumerate(getattr(parsed, kind)):
                line, col = positions[(kind, index)]
                if item.id in base.defined_at:
                    first = base.defined_at[item.id]
                    problems.append(Problem(shown, *positions[(kind, index, "id")], f"{kind}[{index}]({item.id}).id",
                                            f"duplicate id {item.id!r}; already defined at "
                                            f"{first[0]}:{first[1]}:{first[2]}"))
                    continue
                base.defined_at[item.id] = (shown, line, col)
                for name in type(item).model_fields:
                    base.field_at[(item.id, name)] = (shown, *positions.get((kind, index, name), (line, col)))
                # Citations and scrolled steps, and their ru: blocks (facts/translations.py places problems there)
                cites = getattr(item, "sources", []) if kind != "sources" else []
                children = [("sources", n) for n in range(len(cites))]
                children += [("steps", n) for n in range(len(getattr(item, "steps", None) or []))]
                for child, c_index in children:
                    at = positions[(kind, index, child, c_index)]
                    base.field_at[(item.id, f"{child}[{c_index}]")] = (shown, *at)
                    base.field_at[(item.id, f"{child}[{c_index}].ru")] = (
                        shown, *positions.get((kind, index, child, c_index, "ru"), at))
                getattr(base, kind)[item.id] = item
                for c_index, citation in enumerate(cites):
                    where = positions[(kind, index, "sources", c_index)]
                    cited.append((shown, where, f"{kind}[{index}]({item.id}).sources[{c_index}].source",
                                  citation.source))
    # A source declared in a file that failed validation is not "unknown": its own
    # problem is listed already. If some file could not be read at all, any id might
    # be declared there, so citations wait for the next run.
    for shown, (line, col), name, source_id in ([] if unreadable else cited):
        if source_id not in declared_ids["sources"]:
            known = ", ".join(_plain(i) for i in sorted(declared_ids["sources"])) or "none"
            problems.append(Problem(shown, line, col, name, f"unknown source {source_id!r}; expected an id from "
                                                            f"a sources: list (known: {known})"))
    if not problems:
        problems += check_links(base)
    if problems:
        found = ProblemsFound(problems)
        # What later stages may check pages and charts against: every id the files declare,
        # unless a file could not be read at all (then any id may be missing).
        found.declared = None if unreadable else declared_ids
        raise found
    return base


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def check_links(base: FactBase) -> list[Problem]:
    """What one item says about others: the retold article, second sources, event order, corrections."""
    problems = []

    def at(item_id: str, name: str, message: str) -> None:
        shown, line, col = base.field_at.get((item_id, name), base.defined_at[item_id])
        kind = next(k for k in KINDS if item_id in getattr(base, k))
        problems.append(Problem(shown, line, col, f"{kind}({item_id}).{name}", message))

    retold = [s.id for s in base.sources.values() if s.role is SourceRole.retold]
    if len(retold) != 1:
        first = next(iter(base.sources), None)
        if first:
            at(first, "role", f"{len(retold)} sources have role retold ({', '.join(retold) or 'none'}); "
                              "expected exactly one: the article the site retells")
        return problems
    for item in [*base.facts.values(), *base.events.values()]:
        for index, citation in enumerate(item.sources):
            source = base.sources[citation.source]
            if source.role is not SourceRole.retold and not citation.says:
                at(item.id, f"sources[{index}]", f"source {source.id!r} is a second source; add says: what it "
                                                 "says about this, in the site's words")
            if citation.dates and isinstance(item, Fact):
                at(item.id, f"sources[{index}]", "dates: true is for events; a fact's time is its period")
            if citation.dates and source.role is SourceRole.retold:
                at(item.id, f"sources[{index}]", "dates: true marks a second source that dates the event; "
                                                 "the article's own date is article_date")
    for event in base.events.values():
        _check_event_date(base, event, at)
    for correction in base.corrections.values():
        for item_id in correction.items:
            if item_id not in base.facts and item_id not in base.events:
                at(correction.id, "items", f"unknown fact or event id {item_id!r}")
    for scrolly in base.scrollies.values():
        _check_scrolly(base, scrolly, at)
    for note in base.annotations.values():
        if note.fact is not None and note.fact not in base.facts:
            at(note.id, "fact", f"unknown fact id {note.fact!r}; expected the id of a fact in data/")
        if note.event is not None and note.event not in base.events:
            at(note.id, "event", f"unknown event id {note.event!r}; expected the id of an event in data/")
        for name in [name for m in _STEP_REFERENCE.finditer(note.text) for name in m.groups() if name]:
            if name not in base.facts:
                at(note.id, "text", f"{{{name}}} names no fact; expected {{fact-id}} or {{period:fact-id}} "
                                    "with the id of a fact in data/")
    return problems


def _check_scrolly(base: FactBase, scrolly: Scrolly, at) -> None:
    """Each step names facts that exist and annotations declared for this sequence."""
    for index, step in enumerate(scrolly.steps):
        for name in [name for m in _STEP_REFERENCE.finditer(step.text) for name in m.groups() if name]:
            if name not in base.facts:
                at(scrolly.id, "steps", f"steps[{index}].text: {{{name}}} names no fact; expected the id of a fact "
                                        "in data/")
        for note_id in step.annotations:
            note = base.annotations.get(note_id)
            if note is None or note.chart != scrolly.id:
                at(scrolly.id, "steps", f"steps[{index}].annotations: {note_id!r} is no annotation declared for "
                                        f"this sequence; expected the id of one with chart: {scrolly.id}")


# "{fact-id}", "{period:fact-id}", "{share:a/b}": every fact id a step's or an annotation's text names.
_STEP_REFERENCE = re.compile(r"\{(?:[a-z]+:)?([a-z0-9-]+)(?:/([a-z0-9-]+))?\}")


def _check_event_date(base: FactBase, event: Event, at) -> None:
    """An event is dated no more precisely than a source gives, and never before what it answers."""
    article = event.article_date
    if article is not None:
        inside = article.first_day() <= event.date.first_day() and event.date.last_day() <= article.last_day()
        if not inside:
            at(event.id, "date", f"{event.date} falls outside the article's date {article}; expected a date "
                                 "within it")
    finer = article is None or _PRECISION_RANK[event.date.precision] > _PRECISION_RANK[article.precision]
    if finer and not base.dated_by(event):
        given = f"only {article}" if article else "no date"
        at(event.id, "date", f"{event.date} is more precise than the article, which gives {given}; cite a second "
                             "source that gives this date (dates: true), or keep the article's precision")
    for cause_id in event.responds_to:
        cause = base.events.get(cause_id)
        if cause is None:
            at(event.id, "responds_to", f"unknown event id {cause_id!r}")
        elif event.date.last_day() < cause.date.first_day():
            at(event.id, "responds_to", f"dated {event.date}, before {cause_id} ({cause.date}) that it answers; "
                                        "check both dates")
