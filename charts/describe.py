"""Words and tables for readers who do not see the chart: generated from its rows."""

from __future__ import annotations

from facts.format import format_count

from .registry import Chart

# Columns a chart adds to its fact rows to say what each row is (country, destination...).
_FACT_COLUMNS = {"fact", "label", "value", "low", "high", "precision", "shown", "unit", "period", "source",
                 "role", "iso_numeric", "code", "total", "group"}


def row_name(row: dict) -> str:
    """What a row is, in words: the line it is drawn on, else its chart-specific columns, else its label."""
    if row.get("row"):
        return str(row["row"])
    extra = [str(v) for k, v in row.items() if k not in _FACT_COLUMNS and v not in (None, "")]
    return ", ".join(extra) if extra else str(row.get("label", ""))


def describe(chart: Chart, rows: list[dict]) -> str:
    """A sentence or three: how many values, the largest and smallest, the ranges and bounds."""
    if rows and "event" in rows[0]:
        first, last = rows[0], rows[-1]
        return (f"{format_count(len(rows), 'event').capitalize()}, from {first['when']} ({first['title']}) "
                f"to {last['when']} ({last['title']}).")
    if rows and "figures" in rows[0]:
        by_role: dict[str, list[str]] = {}
        for row in rows:
            by_role.setdefault(row["role"], []).append(row["country"])
        return " ".join(f"{role}: {', '.join(names)}." for role, names in by_role.items())
    numbered = [r for r in rows if isinstance(r.get("value"), (int, float))]
    if not numbered:
        return ""
    parts = [f"{format_count(len(numbered), 'value').capitalize()}."]
    if len(numbered) > 1:
        top = max(numbered, key=lambda r: r["high"] if r.get("high") is not None else r["value"])
        bottom = min(numbered, key=lambda r: r["low"] if r.get("low") is not None else r["value"])
        parts.append(f"Largest: {row_name(top)}, {top['shown']}. Smallest: {row_name(bottom)}, {bottom['shown']}.")
    special = [f"{row_name(r)} ({r['shown']}) is {_article(r['precision'])}" for r in numbered
               if r["precision"] in ("range", "upper bound", "lower bound")]
    if special:
        parts.append("; ".join(special) + ".")
    return " ".join(parts)


def _article(precision: str) -> str:
    return {"range": "a range", "upper bound": "an upper bound", "lower bound": "a lower bound"}[precision]


def data_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the 'Show the data' table, the same numbers as the chart."""
    if rows and "event" in rows[0]:
        return (["When", "Event", "What happened", "Dated by", "Source"],
                [[r["when"], r["title"], r["description"], r["dated_by"], r["source"]] for r in rows])
    if rows and "figures" in rows[0]:
        return (["Country", "Role", "Figures", "Source"],
                [[r["country"], r["role"], r["figures"], r["source"]] for r in rows])
    return (["", "Value", "Precision", "Refers to", "Source"],
            [[row_name(r), r["shown"], r["precision"], r["period"], r["source"]] for r in rows])
