"""The words written in the code, in the Russian edition: every chart's titles, legends, tooltips,
menus and generated descriptions come from the catalog (locale/ru/LC_MESSAGES/messages.po), the
catalog keeps each message's {fields}, and only the Russian charts carry the Russian locale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vl_convert
import yaml
from babel.messages.pofile import read_po

from charts.describe import data_table, describe
from charts.registry import CHARTS, fill_text
from charts.render import chart_rows, inline_values, with_config
from charts.theme import config
from conftest import ROOT
from facts import translations
from facts.lang import CATALOG, edition, t
from facts.load import load_factbase

PO = Path(str(CATALOG).format(lang="ru"))


def entries() -> list:
    with PO.open("rb") as file:
        return [m for m in read_po(file, locale="ru") if m.id]


@pytest.fixture(scope="module")
def russian_base():
    return translations.translated(load_factbase(ROOT / "data", ROOT), "ru")


@pytest.fixture(scope="module")
def russian_specs(russian_base) -> dict[str, dict]:
    with edition("ru"):
        return {chart_id: chart.spec(russian_base) for chart_id, chart in CHARTS.items()}


def shown_words(node, found: list[str], key: str = "") -> list[str]:
    """The words a spec shows as such: axis, legend and tooltip titles, a menu's name and labels,
    a chart title (the field names beside them are not shown, and stay English)."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "title" and isinstance(value, str):
                found.append(value)
            elif name == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                found.append(value["text"])
            elif name == "bind" and isinstance(value, dict):
                found += [value.get("name", "").strip(), *value.get("labels", [])]
            else:
                shown_words(value, found, name)
    elif isinstance(node, list):
        for item in node:
            shown_words(item, found, key)
    return found


def string_literals(expr: str) -> list[str]:
    """The quoted strings of a Vega expression ('...' with \\' escapes)."""
    return [s.replace("\\'", "'") for s in re.findall(r"'((?:[^'\\]|\\.)*)'", expr)]


def test_russian_chart_specs_show_no_english_titles(russian_specs):
    english = {m.id for m in entries() if isinstance(m.id, str)}
    russian = {m.string for m in entries() if isinstance(m.id, str)}
    for chart_id, spec in russian_specs.items():
        words = [w for w in shown_words(spec, []) if w]
        assert words, chart_id
        for word in words:
            # A title from the code is the catalog's Russian, or names countries (CLDR's Russian names).
            assert word not in english or word in russian, f"{chart_id}: {word!r} is English"
            assert not re.search(r"\b[A-Za-z]{3,}\b", word.replace("Natural Earth", "")), f"{chart_id}: {word!r}"


def expressions(node, found: list[str]) -> list[str]:
    """The label expressions and calculations of a spec: where it writes words of its own."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name in ("labelExpr", "calculate") and isinstance(value, str):
                found.append(value)
            expressions(value, found)
    elif isinstance(node, list):
        for value in node:
            expressions(value, found)
    return found


def test_russian_axis_labels_and_legend_names_are_russian(russian_specs):
    """Words written into label expressions (units, legend names) are Russian too."""
    for chart_id, spec in russian_specs.items():
        for expr in expressions(spec, []):
            for literal in string_literals(expr):
                if literal in ("Central Asia", "Russia", "Elsewhere"):   # the groups' keys, compared with
                    continue
                assert not re.search(r"[A-Za-z]{2,}", literal), f"{chart_id}: {literal!r} in {expr!r}"


def test_russian_descriptions_and_tables_are_russian(russian_base, russian_specs):
    with edition("ru"):
        for chart_id, spec in russian_specs.items():
            rows = chart_rows(spec)
            text = describe(CHARTS[chart_id], rows)
            assert text and not re.search(r"\b[A-Za-z]{3,}\b", text), f"{chart_id}: {text}"
            header, _ = data_table(rows)
            assert [h for h in header if re.search(r"[A-Za-z]", h)] == [], f"{chart_id}: {header}"


def test_english_charts_keep_their_words():
    """Outside an edition, t() is the identity: the English charts are drawn from the same code."""
    base = load_factbase(ROOT / "data", ROOT)
    spec = CHARTS["remittances-share-gdp"].spec(base)
    assert "Percent of GDP" in shown_words(spec, [])
    with edition("ru"):
        assert t("Percent of GDP") != "Percent of GDP"


def test_only_russian_configs_carry_a_locale():
    for dark in (False, True):
        for narrow in (False, True):
            assert "locale" not in config(dark=dark, narrow=narrow)
            with edition("ru"):
                assert config(dark=dark, narrow=narrow)["locale"]["number"]["decimal"] == ","


MONTHS = {"data": {"values": [{"d": f"2024-{m:02d}-01", "v": 1000.5 * m} for m in range(1, 13)]},
          "mark": "point", "width": 600,
          "encoding": {"x": {"field": "d", "type": "temporal", "axis": {"format": "%B", "tickCount": "month"}},
                       "y": {"field": "v", "type": "quantitative", "axis": {"format": ",.1f"}}}}


def svg_texts(spec: dict) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", vl_convert.vegalite_to_svg(spec))


def test_russian_locale_groups_digits_and_names_months_in_the_nominative():
    with edition("ru"):
        texts = svg_texts(with_config(MONTHS))
    assert "январь" in texts and "март" in texts and "января" not in texts   # d3's ru-RU has the genitive
    assert "10\u00a0000,0" in texts
    english = svg_texts(with_config(MONTHS))
    assert "January" in english and "10,000.0" in english


def test_catalog_keeps_every_field_and_reference():
    """A translation keeps the {fields} the code fills and the fact references the charts fill."""
    def fields(text: str) -> list[str]:
        return sorted(re.findall(r"\{[^{}]*\}", text))

    for entry in entries():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert text, f"{entry.id!r} has no Russian"
            assert fields(text) == fields(ids[-1]), (entry.id, text)
        assert not entry.fuzzy, entry.id


def test_russian_chart_words_fill_from_the_facts(russian_base):
    """Each chart's Russian title, summary and finding fills from the facts, every reference kept."""
    with edition("ru"):
        for chart in CHARTS.values():
            for template in (chart.title, chart.summary, chart.finding):
                if template:
                    text = fill_text(russian_base, t(template))
                    assert t(template) != template and "{" not in text, (chart.id, text)


def test_catalog_avoids_the_words_the_terms_rule_out():
    terms = yaml.safe_load((ROOT / "locale" / "ru" / "terms.yaml").read_text(encoding="utf-8"))["terms"]
    avoid = [word for term in terms for word in term.get("avoid", [])]
    for entry in entries():
        for text in entry.string if isinstance(entry.string, tuple) else (entry.string,):
            assert not [w for w in avoid if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)], text


def test_quotes_within_russian_quotes_become_low_high_ones():
    from pages.chart_pages import quoting

    title = "После теракта в «Крокус Сити Холле»"
    assert quoting("В графике «{title}».", title=title) == "В графике «После теракта в „Крокус Сити Холле“»."
    assert quoting('In "{title}".', title="The «Crocus» chart") == 'In "The «Crocus» chart".'


def test_a_long_reference_note_takes_two_lines_on_a_phone_only(russian_specs):
    """The Russian note on the quotas chart («Прежний лимит ОАЭ: 15 000 работников») would run off
    a phone's drawing: there it is wrapped; the English one is short enough to stay as it was."""
    def notes(spec) -> list[dict]:
        return [row for values in inline_values(spec) if isinstance(values, list)
                for row in values if isinstance(row, dict) and "note" in row]

    russian = notes(russian_specs["destination-quotas"])
    assert russian and all("\n" in note["note_narrow"] and "\n" not in note["note"] for note in russian)
    english = notes(CHARTS["destination-quotas"].spec(load_factbase(ROOT / "data", ROOT)))
    assert english and all("note_narrow" not in note for note in english)
