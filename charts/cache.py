"""Reuse a chart's rendered files while nothing it is drawn from has changed.

A chart is drawn only from its inputs (see ``chart_inputs``): the facts it
declares, the sources they cite and, if it says so, the events. The cache key
hashes those inputs together with the code that draws charts (every module in
charts/ and facts/, the map shapes in data/geo/) and the renderer versions, so
an edit to one fact re-renders only the charts that show it, and an upgrade of
Altair or vl-convert re-renders everything.

Entries live in ``<cache dir>/charts/<chart id>/<key>.json``, at most two per
chart (the current one and the one before), so the cache never grows beyond
twice the site's own charts. Writes are atomic (``write_atomically``), so a killed build or two
builds at once leave either the old entry or the new one, never half a file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from facts.lang import CATALOG, DEFAULT, EDITIONS, current
from facts.load import FactBase

from .registry import PLACEHOLDER, Chart

ROOT = Path(__file__).resolve().parent.parent
CACHE_FORMAT = 1   # bump when the layout of an entry changes
# What a chart's drawing depends on besides its inputs: the code and the map shapes.
CODE = [ROOT / "charts", ROOT / "facts", ROOT / "data" / "geo"]


class UndeclaredInput(KeyError):
    """A chart read a fact it does not declare, so its cache key would miss edits to it."""


class _Declared(dict):
    def __init__(self, items: dict, chart: Chart, kind: str):
        super().__init__(items)
        self.chart, self.kind = chart, kind

    def __missing__(self, key):
        raise UndeclaredInput(f"chart {self.chart.id} reads {self.kind} {key!r} but does not declare it "
                              f"in @chart(facts=...)" + (" (or uses_events=True)" if self.kind == "event" else ""))


def chart_inputs(chart: Chart, base: FactBase) -> FactBase:
    """The part of ``base`` a chart may read: its declared facts, the annotations declared for it and
    the facts they name, their sources, and events if it uses them."""
    drawn = {note for name, ids in chart.state if name == "annotations" for note in ids}
    notes = {aid: a for aid, a in base.annotations.items() if a.chart == chart.id or aid in drawn}
    named = [a.fact for a in notes.values() if a.fact] + [fid for a in notes.values()
                                                             for m in PLACEHOLDER.finditer(a.text)
                                                             for fid in (m["id"], m["other"]) if fid]
    facts = {fid: base.facts[fid] for fid in dict.fromkeys([*chart.fact_ids(), *named]) if fid in base.facts}
    events = dict(base.events) if chart.uses_events else {}
    cited = {c.source for item in [*facts.values(), *events.values()] for c in item.sources}
    sources = {sid: base.sources[sid] for sid in sorted(cited) if sid in base.sources}
    return FactBase(_Declared(sources, chart, "source"), _Declared(facts, chart, "fact"),
                    _Declared(events, chart, "event"), defined_at=base.defined_at, annotations=notes)


@cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in CODE:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".py", ".json")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("altair", "vl-convert-python"):
        digest.update(f"{package}=={version(package)}\0".encode())
    return digest.hexdigest()


def cache_key(described: object, files: Iterable[Path] = (), packages: Iterable[str] = ()) -> str:
    """The one recipe for naming a cache entry: what it was made from (any JSON value), the bytes of
    the files it read (each by its name), the project's drawing code and the versions of the
    packages that made it. Any change to any of them gives another name, so nothing stale is reused."""
    digest = hashlib.sha256(json.dumps([CACHE_FORMAT, described, code_fingerprint()], sort_keys=True).encode())
    for path in files:
        digest.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    for package in packages:
        digest.update(f"\0{package}=={version(package)}".encode())
    return digest.hexdigest()


def key(chart: Chart, inputs: FactBase) -> str:
    """A chart's entry: named by its declared inputs (the drawing code and renderer are in every key)."""
    dump = lambda items: {k: v.model_dump(mode="json") for k, v in sorted(items.items())}  # noqa: E731
    # The edition, and its catalog of the code's words (axis titles, the chart's own title).
    lang = current()
    words = [Path(str(CATALOG).format(lang=lang))] if lang != DEFAULT else []
    return cache_key({"chart": chart.id, "title": chart.title, "summary": chart.summary,
                      "finding": chart.finding, "state": chart.state, "edition": lang,
                      "facts": dump(inputs.facts), "sources": dump(inputs.sources), "events": dump(inputs.events),
                      "annotations": dump(inputs.annotations)}, files=[w for w in words if w.is_file()])


def write_atomically(path: Path, content: bytes) -> None:
    """Write beside ``path``, then rename into place: a reader finds the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", dir=path.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    os.replace(tmp, path)


def cached_bytes(folder: Path | None, key: str, make) -> bytes:
    """``make()``, stored in ``folder`` under ``key`` and reused from there (no folder: no cache)."""
    if folder is None:
        return make()
    path = folder / key
    try:
        return path.read_bytes()
    except OSError:
        pass
    content = make()
    write_atomically(path, content)
    return content


# What an entry holds (charts/render.py draws it); one without all of them is damaged.
ENTRY_FIELDS = {"spec", "vega", "svg", "png", "rows", "csv", "size"}
# Entries kept per chart: in every edition, the current one and the one before, so going back
# and forth between two states (a reviewer's diff builds the base and the change in turn)
# redraws nothing. (An edition's entries sit beside the others', named by keys that differ.)
KEEP = 2 * len(EDITIONS)


def _age(path: Path) -> int:
    try:
        return -path.stat().st_mtime_ns   # newest first
    except OSError:
        return 0


class RenderCache:
    """``<folder>/charts/<chart id>/<key>.json``: the file's name says what it was drawn from."""

    def __init__(self, folder: Path):
        self.folder = folder / "charts"

    def _path(self, chart_id: str, key: str) -> Path:
        return self.folder / chart_id / f"{key}.json"

    def has(self, chart_id: str, key: str) -> bool:
        """Whether the chart was drawn from these inputs before (so it can draw them)."""
        return self._path(chart_id, key).is_file()

    def get(self, chart_id: str, key: str) -> dict | None:
        """The stored files of a chart, if they were rendered from the same key."""
        path = self._path(chart_id, key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            entry["png"] = base64.b64decode(entry["png"])
            if not ENTRY_FIELDS <= entry.keys():
                return None
            os.utime(path)   # just used: the last to go (put keeps the newest)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None   # missing or damaged: render afresh
        return entry

    def put(self, chart_id: str, key: str, entry: dict) -> None:
        """Store the chart's files beside the last ones it was drawn from; older entries go."""
        path = self._path(chart_id, key)
        text = json.dumps({**entry, "png": base64.b64encode(entry["png"]).decode()}, ensure_ascii=False)
        write_atomically(path, text.encode("utf-8"))
        for old in sorted(path.parent.glob("*.json"), key=_age)[KEEP:]:
            old.unlink(missing_ok=True)
