"""The standards desk's rules, held by tests: no precision the source does not give, events dated
by named sources and in the order they happened, figures drawn as what they are, one style.

The model refuses what it can (build.py --check); these tests check what a reader is shown.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

import charts
from charts.cache import chart_inputs
from charts.describe import describe
from charts.timeline import event_rows
from facts.format import format_count, format_fact, format_period
from facts.lang import DEFAULT, EDITIONS, edition, prefix
from facts.load import load_factbase
from facts.schema import SourceRole
from facts.translations import translated
from pages import html
from sites import real_site

ROOT = Path(__file__).resolve().parent.parent
COPYCHECK = ROOT.parent / "shared" / "tools" / "copycheck.py"
YEAR = re.compile(r"\b(19|20)\d\d\b")


@pytest.fixture(scope="module")
def base():
    return load_factbase(ROOT / "data", ROOT)


@pytest.fixture(scope="module")
def site() -> Path:
    """The real site, built by build.py as a maintainer builds it (once per test run: tests/sites.py)."""
    return real_site()


def page_texts(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def visible_text(page: str) -> str:
    """What a reader reads: no scripts, styles or tags, entities decoded, spaces squeezed."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


# --- no year for a figure whose source gives none -------------------------------------------------

def undated(base) -> list:
    return [f for f in base.facts.values() if f.period is None]


def test_the_article_dates_few_of_its_figures(base):
    """The data keeps the article's silence: the figures it gives no year stay undated."""
    assert {f.id for f in undated(base)} >= {
        "tj-kg-remittances-share-gdp", "uae-limit-before", "uae-limit-after", "sa-jobs-central-asia",
        "migrant-crime-share", "eu-agreement-flow-per-country", "kz-labor-arrivals-before"}
    assert format_period(base.fact("kz-labor-arrivals-before")) == "each year before Russia's crackdown"
    assert format_period(base.fact("uae-limit-after")) == "as stated in October 2025"


@pytest.mark.parametrize("lang", EDITIONS)
def test_an_undated_figure_shows_no_year_anywhere_on_the_site(base, site, lang):
    """Every place a figure's time is shown (fact links, cards, the data table, chart tooltips and
    CSVs, the downloads) shows exactly how the source places it, never a year of the site's own;
    in each edition, in its words."""
    pages = page_texts(site / prefix(lang))
    if lang == DEFAULT:
        pages = {name: page for name, page in pages.items() if not name.startswith(tuple(map(prefix, EDITIONS[1:])))}
    base = translated(base, lang)
    checked = 0
    with edition(lang):
        undated_facts = [(fact, format_period(fact)) for fact in undated(base)]
    for fact, expected in undated_facts:
        allowed = set(YEAR.findall(expected))   # 'as stated in October 2025' names when it was said
        for name, page in pages.items():
            for title in re.findall(rf'<a class="fact[^"]*" href="[^"]*#fact-{fact.id}" title="([^"]*)"', page):
                assert unescape(title).startswith(f"{fact.label} ({expected}). "), (name, title)
                checked += 1
            for label in re.findall(rf'#fact-{fact.id}"><span class="fact-card-value">[^<]*</span>'
                                    r'<span class="fact-card-label">([^<]*)</span>', page):
                assert unescape(label) == f"{fact.label} ({expected})", (name, label)
                checked += 1
        row = re.search(rf'<tr id="fact-{fact.id}">(.*?)</tr>', pages["data-and-sources/index.html"]).group(1)
        cells = [visible_text(c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
        assert cells[3] == re.sub(r"\s+", " ", expected), cells   # visible_text squeezes no-break spaces too
        # The label itself is never followed by a year in brackets, anywhere a reader looks.
        for name, page in pages.items():
            shown = re.findall(re.escape(fact.label) + r" \(([^)]*)\)", visible_text(page))
            assert all(set(YEAR.findall(when)) <= allowed for when in shown), (name, fact.id, shown)
        checked += 1
    assert checked > len(undated(base)), "the site shows the undated figures somewhere"


def test_downloads_and_chart_data_leave_an_undated_figure_undated(base, site):
    facts_csv = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "downloads/facts.csv").read_text()))}
    for fact in undated(base):
        assert facts_csv[fact.id]["period"] == ""
        assert facts_csv[fact.id]["period_shown"] == format_period(fact)
    seen = 0
    for spec_file in sorted((site / "charts").glob("*.light.wide.vg.json")):
        spec = json.loads(spec_file.read_text())
        rows = [v for d in spec.get("data", []) for v in d.get("values", []) if isinstance(v, dict)]
        for row in rows:
            if "figures" in row:   # the map's tooltip lists each country's figures with their time
                for fact_id in filter(None, row.get("fact", "").split("; ")):
                    assert f"({format_period(base.facts[fact_id])}" in row["figures"], row
                continue
            fact = base.facts.get(row.get("fact"))
            if fact is not None and fact.period is None:
                assert row["period"] == format_period(fact), (spec_file.name, row)
                seen += 1
    for chart_csv in sorted((site / "charts").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(chart_csv.read_text())):
            fact = base.facts.get(row.get("fact", ""))
            if fact is not None and fact.period is None and "period" in row:
                assert row["period"] == format_period(fact), (chart_csv.name, row)
                seen += 1
    assert seen, "some chart draws an undated figure"


def test_a_period_reference_to_an_undated_figure_is_a_placed_problem(project_copy):
    page = project_copy / "docs" / "crackdown.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nIn {{ period: uae-limit-after }}.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "build.py", "--check"], cwd=project_copy, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert re.search(r"docs/crackdown\.md:\d+:4: period: fact 'uae-limit-after' has no period", result.stderr)


# --- events: dated by named sources, in the order they happened -----------------------------------

PRECISION = {"year": 0, "month": 1, "day": 2}


def test_every_date_finer_than_the_article_names_the_report_that_gives_it(base):
    for event in base.events.values():
        finer = event.article_date is None or PRECISION[event.date.precision] > PRECISION[event.article_date.precision]
        if finer:
            dated_by = base.dated_by(event)
            assert dated_by, event.id
            for source in dated_by:
                assert source.role is not SourceRole.retold and source.url.startswith("https://")
                assert source.published.precision == "day", (event.id, source.id)


def test_the_tajik_commission_is_dated_before_azerbaijans_break(base):
    order = [row["event"] for row in event_rows(base)]
    assert str(base.events["tajik-commission-warning"].date) == "2024-10-04"
    assert order.index("tajik-commission-warning") < order.index("azerbaijani-airliner-downed")
    assert base.events["uzbek-note-on-khimki"].date.month != base.events["khimki-taxi-incident"].date.month


def test_a_reply_is_never_on_the_timeline_before_what_it_answers(base):
    order = [row["event"] for row in event_rows(base)]
    for event in base.events.values():
        for cause in event.responds_to:
            assert order.index(cause) < order.index(event.id), (cause, event.id)


def test_a_date_finer_than_the_article_without_a_report_is_refused(problems_in, yaml_snippets):
    from conftest import EVENT, edit
    event = edit(EVENT, "date: 2025-04\n    title", "date: 2025-04-12\n    title")
    assert problems_in({"events.yaml": event}) == [
        "data/events.yaml:3:5: events(an-event).date: 2025-04-12 is more precise than the article, which gives "
        "only 2025-04; cite a second source that gives this date (dates: true), or keep the article's precision"]


def test_a_reply_dated_before_its_cause_is_refused(problems_in):
    from conftest import EVENT, edit
    cause = edit(EVENT, "id: an-event", "id: the-cause")
    reply = edit(edit(EVENT, "date: 2025-04\n    title", "date: 2025\n    title"), "article_date: 2025-04",
                 "article_date: 2025\n    responds_to: [the-cause]")
    later = edit(cause, "date: 2025-04\n    title", "date: 2026-01\n    title").replace("2025-04", "2026-01")
    assert problems_in({"events.yaml": reply, "later.yaml": later}) == [
        "data/events.yaml:11:5: events(an-event).responds_to: dated 2025, before the-cause (2026-01) that it "
        "answers; check both dates"]


def test_a_second_source_must_say_what_it_says(problems_in):
    from conftest import EVENT, SOURCE, edit
    report = SOURCE + ("  - id: src-b\n    title: B\n    publisher: B\n    url: https://example.org/b\n"
                       "    published: 2025-04-12\n    role: report\n")
    event = edit(EVENT, "      - {source: src-a, locator: paragraph 2}",
                 "      - {source: src-a, locator: paragraph 2}\n      - {source: src-b, locator: p, dates: true}")
    assert problems_in({"sources.yaml": report, "events.yaml": event}, with_source=False) == [
        "data/events.yaml:9:9: events(an-event).sources[1]: source 'src-b' is a second source; add says: what it "
        "says about this, in the site's words"]


# --- figures drawn as what they are ----------------------------------------------------------------

def chart_rows(base, chart_id: str) -> list[dict]:
    chart = charts.CHARTS[chart_id]
    spec = chart.spec(chart_inputs(chart, base))
    datasets = [spec.get("data", {})] + [layer.get("data", {}) for layer in spec.get("layer", [])]
    datasets += list(spec.get("datasets", {}).values())
    rows = []
    for data in datasets:
        values = data.get("values", data) if isinstance(data, dict) else data
        rows += [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []
    return rows


def test_a_joint_bound_is_one_bar_not_one_per_country(base):
    rows = [r for r in chart_rows(base, "remittances-share-gdp") if r["fact"] == "tj-kg-remittances-share-gdp"]
    assert len(rows) == 1
    assert "Tajikistan and Kyrgyzstan" in rows[0]["country"] and rows[0]["precision"] == "upper bound"
    # The World Bank's per-country figures are shown beside it, labelled as the World Bank's.
    others = {r["fact"]: r["country"] for r in chart_rows(base, "remittances-share-gdp")}
    assert "World Bank" in others["tj-remittances-share-gdp-2024-wb"]


def test_the_uae_limit_is_not_assigned_to_central_asia(base):
    rows = [r for r in chart_rows(base, "destination-quotas") if r.get("fact") == "uae-limit-after"]
    assert rows and all(r["origin"] == "Not stated" for r in rows)


def test_no_chart_sets_unlike_quantities_on_one_scale():
    """The shortage, the arrivals and the soldiers are separate facts, never bars on one axis."""
    for chart in charts.CHARTS.values():
        assert not {"russia-labor-shortage", "new-citizens-sent-to-front"} <= set(chart.facts), chart.id


def test_every_chart_names_its_sources(base):
    for chart_id, chart in charts.CHARTS.items():
        rendered = type("R", (), {"chart": chart})()
        assert html.chart_sources(base, rendered), chart_id


# --- one style ------------------------------------------------------------------------------------

BRITISH = re.compile(r"\b(labour\w*|criticis\w*|neighbour\w*|stabilis\w*|recognis\w*|organis\w*|Türkiye|"
                     r"favour\w*|centre)\b", re.IGNORECASE)


def test_pages_use_the_articles_american_spelling(site):
    for name, page in page_texts(site).items():
        assert BRITISH.findall(visible_text(page)) == [], name


def test_small_counts_are_words_in_prose(base, site):
    assert format_fact(base.fact("kg-detained-after-bathhouse"), prose=True) == "four"
    assert format_fact(base.fact("kg-detained-after-bathhouse")) == "4"          # tables and charts: digits
    for name, page in page_texts(site).items():
        paragraphs = [visible_text(p) for p in re.findall(r"(?s)<p>(.*?)</p>", page)]
        for text in paragraphs:
            assert not re.search(r"(?<![\d.,$–-])\b[1-9]\s+(?!percent|million|billion)[a-z]", text), (name, text)
            assert "In the period" not in text, (name, text)


def test_counts_in_generated_descriptions_read_as_words():
    assert format_count(1, "value") == "one value"
    assert format_count(3, "event") == "three events"
    assert format_count(12, "value") == "12 values"
    chart = charts.CHARTS["kazakhstan-before-after"]
    row = {"fact": "x", "label": "X", "value": 5, "low": None, "high": None, "precision": "exact",
           "shown": "5", "unit": "people", "period": "2024", "source": "S"}
    assert describe(chart, [row]).startswith("One value.")


def test_the_built_pages_copy_no_run_of_the_article(site):
    if not COPYCHECK.exists():
        pytest.skip(f"{COPYCHECK} is not beside this checkout (it lives in the shared folder)")
    result = subprocess.run([sys.executable, str(COPYCHECK), str(site)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- glossary and corrections ---------------------------------------------------------------------

def test_every_glossary_term_is_linked_from_a_story_page(base, site):
    pages = page_texts(site)
    for term_id in base.glossary:
        linking = [n for n, p in pages.items() if f'#term-{term_id}"' in p and not n.startswith("glossary/")]
        assert linking, term_id
        assert f'id="term-{term_id}"' in pages["glossary/index.html"]


def test_corrections_are_listed_newest_first_with_links(base, site):
    page = page_texts(site)["corrections/index.html"]
    ids = re.findall(r'<li id="correction-([a-z0-9-]+)">', page)
    assert sorted(ids) == sorted(base.corrections)
    dates = [base.corrections[i].date for i in ids]
    assert dates == sorted(dates, reverse=True)
    assert 'href="../timeline/#event-tajik-commission-warning"' in page


def test_a_title_in_another_language_is_marked_for_screen_readers(base, site):
    cyrillic = re.compile("[\u0400-\u04ff]")
    foreign = [s for s in base.sources.values() if cyrillic.search(s.title)]
    assert foreign and all(s.language in ("ru", "uk") for s in foreign), [s.id for s in foreign]
    pages = page_texts(site)
    for source in foreign:
        marked = f'<span lang="{source.language}">{html.escape(source.title)}</span>'
        assert any(marked in page for page in pages.values()), source.id
