"""What changed between two sets of facts: added, removed and changed, field by field.

Fields are compared as a reader sees them (formatted), so "value: 8000" to
"value: 8100" reads "8,000 → 8,100", and a qualifier change reads
"about 2 million → up to 2 million".
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .format import format_fact, format_partial_date, format_period, format_source, precision_name
from .lang import EDITIONS
from .load import FactBase, load_factbase
from .schema import Annotation, Event, Fact, Scrolly, Source


@dataclass(frozen=True)
class Change:
    kind: str                  # "fact", "event", "source", "annotation" or "scrolly"
    id: str
    status: str                # "added", "removed" or "changed"
    label: str
    fields: tuple[tuple[str, str, str], ...] = field(default=())  # (name, before, after)


def _cites(base: FactBase, item: Fact | Event) -> str:
    return "; ".join(format_source(s, loc) for s, loc in base.citations(item))


def _fact_fields(base: FactBase, fact: Fact) -> dict[str, str]:
    return {
        "value": format_fact(fact), "precision": precision_name(fact), "unit": fact.unit.value,
        "label": fact.label, "period": format_period(fact), "countries": ", ".join(fact.entities),
        "note": fact.note or "", "sources": _cites(base, fact), "as of": str(fact.as_of),
        "checked": fact.checked.isoformat(),
    }


def _event_fields(base: FactBase, event: Event) -> dict[str, str]:
    return {
        "date": format_partial_date(event.date), "title": event.title, "description": event.description,
        "place": event.place or "", "countries": ", ".join(event.entities), "sources": _cites(base, event),
        "checked": event.checked.isoformat(),
    }


def _source_fields(_: FactBase, source: Source) -> dict[str, str]:
    return {"title": source.title, "publisher": source.publisher, "url": source.url,
            "published": str(source.published), "note": source.note or ""}


def _annotation_fields(_: FactBase, note: Annotation) -> dict[str, str]:
    return {"chart": note.chart, "kind": note.kind.value, "marks": note.fact or note.event or "",
            "text": note.text, "colour of": note.entity or ""}


def _scrolly_fields(_: FactBase, scrolly: Scrolly) -> dict[str, str]:
    fields = {"title": scrolly.title, "chart": scrolly.chart}
    for number, step in enumerate(scrolly.steps, 1):
        fields[f"step {number}"] = step.text
        fields[f"step {number} shows"] = ", ".join(step.highlight) + (
            f"; notes: {', '.join(step.annotations)}" if step.annotations else "")
    return fields


def _translations(item) -> dict[str, str]:
    """The item's text in the other editions ('label (ru)'), its steps' too, so a changed
    translation is reported like a changed label."""
    fields = {}
    for lang in EDITIONS[1:]:
        for name, value in getattr(item, lang, None) or {}:
            if value is not None and name != "translated_from":
                fields[f"{name} ({lang})"] = str(value)
        for number, step in enumerate(getattr(item, "steps", None) or [], 1):
            if (block := getattr(step, lang, None)) and block.text:
                fields[f"step {number} ({lang})"] = block.text
    return fields


_KINDS = (("fact", "facts", _fact_fields, "label"), ("event", "events", _event_fields, "title"),
          ("source", "sources", _source_fields, "title"), ("annotation", "annotations", _annotation_fields, "text"),
          ("scrolly", "scrollies", _scrolly_fields, "title"))


def compare(before: FactBase, after: FactBase) -> list[Change]:
    changes = []
    for kind, attr, describe, label in _KINDS:
        old, new = getattr(before, attr), getattr(after, attr)
        for item_id in sorted(old.keys() | new.keys()):
            if item_id not in old:
                changes.append(Change(kind, item_id, "added", getattr(new[item_id], label),
                                      tuple((k, "", v) for k, v in describe(after, new[item_id]).items() if v)))
            elif item_id not in new:
                changes.append(Change(kind, item_id, "removed", getattr(old[item_id], label),
                                      tuple((k, v, "") for k, v in describe(before, old[item_id]).items() if v)))
            else:
                was = describe(before, old[item_id]) | _translations(old[item_id])
                now = describe(after, new[item_id]) | _translations(new[item_id])
                differing = tuple((k, was.get(k, ""), now.get(k, "")) for k in dict.fromkeys([*was, *now])
                                  if was.get(k, "") != now.get(k, ""))
                if differing:
                    changes.append(Change(kind, item_id, "changed", getattr(new[item_id], label), differing))
    return changes


def load_base(base: str, root: Path) -> FactBase:
    """Facts as they were at ``base``: a folder (a checkout, or a data/ folder) or a git ref.

    From git, each data file is copied by its object id, named exactly as git holds it: names
    are read NUL-separated (``ls-tree -z``), never from git's quoted path output, so a name with
    a space, a quote or non-ASCII letters is copied as it is, not skipped or split.
    """
    folder = Path(base)
    if folder.is_dir():
        data = folder / "data" if (folder / "data").is_dir() else folder
        return load_factbase(data, data.parent)
    listing = _git(root, "ls-tree", "-z", "--end-of-options", f"{base}:data")
    if listing.returncode:
        raise ValueError(f"{base!r} is neither a folder nor a git revision with a data/ folder "
                         f"({listing.stderr.decode(errors='replace').strip()})")
    with tempfile.TemporaryDirectory(prefix="facts-at-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for entry in filter(None, listing.stdout.split(b"\0")):
            meta, _, raw_name = entry.partition(b"\t")
            mode, kind, oid = meta.decode("ascii").split()
            name = os.fsdecode(raw_name)
            if not name.endswith((".yaml", ".yml")):
                continue
            # As a checkout of ``base`` would have it, so the check reports what it would there:
            # a link stays a link and a folder a folder (both refused), a submodule is left out.
            if kind == "tree":
                (data / name).mkdir()
            elif kind == "blob":
                content = _git(root, "cat-file", "blob", oid)
                if content.returncode:
                    raise ValueError(f"cannot read data/{name} at {base!r} "
                                     f"({content.stderr.decode(errors='replace').strip()})")
                if mode == "120000":
                    os.symlink(os.fsdecode(content.stdout), data / name)
                else:
                    (data / name).write_bytes(content.stdout)
        return load_factbase(data, Path(tmp))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git -C root ARGS``: bytes out, no shell; a missing git is reported, not a traceback."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    except OSError as err:
        raise ValueError(f"cannot run git ({err.strerror or err}); a folder works as the base too") from err


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def report(changes: list[Change], touched: dict[tuple[str, str], tuple[list[str], list[str]]],
           base: str) -> str:
    """A Markdown report for a pull request: each change, old → new, and what it reaches."""
    if not changes:
        return f"## Fact changes since `{base}`\n\nNo fact, event, source, annotation or scrolled sequence changed.\n"
    counts = {s: sum(c.status == s for c in changes) for s in ("changed", "added", "removed")}
    lines = [f"## Fact changes since `{base}`", "",
             f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed.", ""]
    for change in changes:
        lines += [f"### {change.status.capitalize()} {change.kind}: `{change.id}` ({_cell(change.label)})", "",
                  "| field | before | after |", "|---|---|---|"]
        lines += [f"| {name} | {_cell(old)} | {_cell(new)} |" for name, old, new in change.fields]
        charts, pages = touched.get((change.kind, change.id), ([], []))
        lines += ["", f"Charts: {', '.join(f'`{c}`' for c in charts) or 'none'}. "
                      f"Pages: {', '.join(f'`{p}`' for p in pages) or 'none'}.", ""]
    return "\n".join(lines)
