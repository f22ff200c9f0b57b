"""All facts and events as downloadable tables, described by a Frictionless Data Package."""

from __future__ import annotations

import csv
import io
import json

from pydantic import BaseModel

from .format import (
    UNIT_NAMES,
    format_fact,
    format_partial_date,
    format_period,
    format_source,
    plain_number,
    precision_name,
)
from .load import FactBase
from .schema import Event, Fact

# The columns of the downloads. A description of None is the model field's own (facts/schema.py),
# so the data package and the JSON Schema describe a field in the same words; the rest are
# columns the site adds, described here.
_FACT_COLUMNS = [
    ("id", "string", "Stable identifier of the fact."),
    ("label", "string", None),
    ("value", "number", None),
    ("low", "number", None),
    ("high", "number", None),
    ("qualifier", "string", None),
    ("precision", "string", "How precise the source is: exact, approximate, upper bound, lower bound, range."),
    ("shown", "string", "The figure as the site writes it."),
    ("unit", "string", None),
    ("period", "string", None),
    ("period_shown", "string", "When the figure applies, as the site writes it; an undated figure reads "
                               "'as stated in' the month its source stated it."),
    ("entities", "string", None),
    ("note", "string", None),
    ("sources", "string", "Sources with the place in each, separated by ' | '."),
    ("source_urls", "string", "URLs of the sources, separated by spaces."),
    ("as_of", "string", None),
    ("checked", "date", None),
]
_EVENT_COLUMNS = [
    ("id", "string", "Stable identifier of the event."),
    ("date", "string", None),
    ("date_shown", "string", "The date as the site writes it."),
    ("title", "string", None),
    ("description", "string", None),
    ("place", "string", None),
    ("entities", "string", None),
    ("sources", "string", "Sources with the place in each, separated by ' | '."),
    ("source_urls", "string", "URLs of the sources, separated by spaces."),
    ("checked", "date", None),
]


def _described(model: type[BaseModel], columns: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str]]:
    return [(name, kind, text or model.model_fields[name].description) for name, kind, text in columns]


FACT_FIELDS = _described(Fact, _FACT_COLUMNS)
EVENT_FIELDS = _described(Event, _EVENT_COLUMNS)


def _cited(base: FactBase, item) -> dict:
    cites = base.citations(item)
    return {"sources": " | ".join(format_source(s, loc) for s, loc in cites),
            "source_urls": " ".join(dict.fromkeys(s.url for s, _ in cites))}


def fact_table(base: FactBase) -> list[dict]:
    return [{
        "id": f.id, "label": f.label,
        "value": plain_number(f.value), "low": plain_number(f.low), "high": plain_number(f.high),
        "qualifier": None if f.is_range else f.qualifier.value, "precision": precision_name(f),
        "shown": format_fact(f), "unit": UNIT_NAMES[f.unit], "period": f.period, "period_shown": format_period(f),
        "entities": " ".join(f.entities), "note": f.note, **_cited(base, f),
        "as_of": str(f.as_of), "checked": f.checked.isoformat(),
    } for f in sorted(base.facts.values(), key=lambda f: f.id)]


def event_table(base: FactBase) -> list[dict]:
    return [{
        "id": e.id, "date": str(e.date), "date_shown": format_partial_date(e.date), "title": e.title,
        "description": e.description, "place": e.place, "entities": " ".join(e.entities),
        **_cited(base, e), "checked": e.checked.isoformat(),
    } for e in base.events_in_order()]


def to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    """The one CSV writer: ``columns`` in order (by default every key of the rows, first seen
    first), each cell through ``csv_cell``."""
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...),
# +cmd|...): OWASP's "CSV injection". Only text cells are guarded; numbers stay numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """One CSV cell: numbers as the YAML wrote them (2000000, not 2e+06 or 2000000.0); text that a
    spreadsheet would run as a formula behind a ' (as OWASP recommends), so it opens as the text."""
    if value is None:
        return ""
    if isinstance(value, float):
        return plain_number(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _schema(fields: list[tuple[str, str, str]]) -> dict:
    return {"fields": [{"name": n, "type": t, "description": d} for n, t, d in fields], "primaryKey": ["id"]}


def downloads(base: FactBase) -> dict[str, str]:
    """Site-relative path -> content: CSV and JSON of all facts and events, and datapackage.json."""
    facts, events = fact_table(base), event_table(base)
    package = {
        "profile": "tabular-data-package",
        "name": "central-asia-migration-facts",
        "title": "Figures and events from the retelling of Carnegie Politika's analysis (October 2025)",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0"}],
        "sources": [{"title": format_source(s), "path": s.url} for s in sorted(base.sources.values(),
                                                                               key=lambda s: s.id)],
        "resources": [
            {"name": "facts", "path": "facts.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema(FACT_FIELDS)},
            {"name": "events", "path": "events.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema(EVENT_FIELDS)},
        ],
    }

    def dump(obj) -> str:
        return json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=True) + "\n"

    return {
        "downloads/facts.csv": to_csv(facts, [name for name, _, _ in FACT_FIELDS]),
        "downloads/events.csv": to_csv(events, [name for name, _, _ in EVENT_FIELDS]),
        "downloads/facts.json": dump({"facts": facts, "events": events}),
        "downloads/datapackage.json": dump(package),
    }
