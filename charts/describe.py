"""Words and tables for readers who do not see the chart: generated from its rows."""

from __future__ import annotations

from facts.format import format_count, stop_after_abbreviation, upper_first
from facts.lang import N_, t

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
        return stop_after_abbreviation(t("{count}, from {first} ({first_title}) to {last} ({last_title}).").format(
            count=upper_first(format_count(len(rows), "event", "events")), first=first["when"],
            first_title=first["title"], last=last["when"], last_title=last["title"]))
    if rows and "figures" in rows[0]:
        by_role: dict[str, list[str]] = {}
        for row in rows:
            by_role.setdefault(row["role"], []).append(row["country"])
        return " ".join(f"{role}: {', '.join(names)}." for role, names in by_role.items())
    numbered = [r for r in rows if isinstance(r.get("value"), (int, float))]
    if not numbered:
        return ""
    parts = [upper_first(format_count(len(numbered), "value", "values")) + "."]
    if len(numbered) > 1:
        top = max(numbered, key=lambda r: r["high"] if r.get("high") is not None else r["value"])
        bottom = min(numbered, key=lambda r: r["low"] if r.get("low") is not None else r["value"])
        parts.append(t("Largest: {name}, {value}.").format(name=row_name(top), value=top["shown"]) + " "
                     + t("Smallest: {name}, {value}.").format(name=row_name(bottom), value=bottom["shown"]))
    # The rows' precision is in the edition's words (facts.format.precision_name).
    sentences = {t(name): t(sentence) for name, sentence in NOT_EXACT.items()}
    special = [sentences[r["precision"]].format(name=row_name(r), value=r["shown"]) for r in numbered
               if r["precision"] in sentences]
    if special:
        parts.append("; ".join(special) + ".")
    return stop_after_abbreviation(" ".join(parts))


# A figure that is not one exact number, said so: its precision -> the words.
NOT_EXACT = {"range": N_("{name} ({value}) is a range"), "upper bound": N_("{name} ({value}) is an upper bound"),
             "lower bound": N_("{name} ({value}) is a lower bound")}


def data_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the 'Show the data' table, the same numbers as the chart."""
    if rows and "event" in rows[0]:
        return ([t("When"), t("Event"), t("What happened"), t("Dated by"), t("Source")],
                [[r["when"], r["title"], r["description"], r["dated_by"], r["source"]] for r in rows])
    if rows and "figures" in rows[0]:
        return ([t("Country"), t("Role"), t("Figures"), t("Source")],
                [[r["country"], r["role"], r["figures"], r["source"]] for r in rows])
    return (["", t("Value"), t("Precision"), t("Refers to"), t("Source")],
            [[row_name(r), r["shown"], r["precision"], r["period"], r["source"]] for r in rows])
