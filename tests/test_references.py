"""Page references ({{ kind: id }}): finding, checking, rendering and escaping."""

from __future__ import annotations

import pytest

import charts
from charts.layout import chart_files
from charts.scrolly import render_steps
from conftest import ROOT
from facts.format import format_fact, format_partial_date
from facts.load import FactBase
from pages import html
from pages.fill import fill, page_url, relative_root
from pages.references import KINDS, check_references, find_references, replace_references
from pipeline import chart_and_data_files

KNOWN = {"fact": {"a-fact", "uk-quota-kg-2024"}, "chart": {"destinations"}, "event": {"an-event"}}
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def base(english_base) -> FactBase:
    return english_base


# --- finding ------------------------------------------------------------------------------

def test_find_references_lines_and_columns():
    text = ("# Title\n"
            "The quota is {{ fact: uk-quota-kg-2024 }} a year.\n"
            "\n"
            "    {{chart:destinations}} and {{ fact-table }}\n"
            "{{   date:   an-event   }}")
    refs = list(find_references(text))
    assert [(r.kind, r.id, r.line, r.column) for r in refs] == [
        ("fact", "uk-quota-kg-2024", 2, 14),
        ("chart", "destinations", 4, 5),
        ("fact-table", None, 4, 32),
        ("date", "an-event", 5, 1),
    ]
    assert [text[r.start:r.end] for r in refs] == [
        "{{ fact: uk-quota-kg-2024 }}", "{{chart:destinations}}", "{{ fact-table }}", "{{   date:   an-event   }}"]


def test_find_references_counts_columns_in_characters():
    text = "Résumé – {{ fact: a-fact }}"
    [ref] = find_references(text)
    assert ref.column == text.index("{{") + 1 == 10


def test_text_without_references():
    assert list(find_references("No {braces} here, nor { {these} }.\n")) == []


# --- checking -----------------------------------------------------------------------------

def test_check_references_flags_each_kind_of_mistake():
    text = ("{{ bogus: x }}\n"
            "{{ fact: }} {{ chart }}\n"
            "{{ fact-table: everything }} {{ source-list: s }}\n"
            "{{ fact: uk-quota-kg-2042 }} {{ date: nothing-like-it }}\n"
            "{{ fact: a-fact }} {{ chart: destinations }} {{ date: an-event }} {{ event-list }}\n")
    assert [str(p) for p in check_references(text, "docs/p.md", KNOWN)] == [
        "docs/p.md:1:1: bogus: unknown reference kind; expected one of: "
        + ", ".join(sorted(KINDS)),
        "docs/p.md:2:1: fact: needs an id: {{ fact: some-id }}",
        "docs/p.md:2:13: chart: needs an id: {{ chart: some-id }}",
        "docs/p.md:3:1: fact-table: takes no id, got 'everything'",
        "docs/p.md:3:30: source-list: takes no id, got 's'",
        "docs/p.md:4:1: fact: unknown fact id 'uk-quota-kg-2042'; did you mean 'uk-quota-kg-2024'?",
        "docs/p.md:4:30: date: unknown event id 'nothing-like-it'",
    ]


def test_ids_are_checked_against_the_right_kind():
    # A chart id is not a fact id, and a fact id is not an event id.
    problems = check_references("{{ fact: destinations }} {{ date: a-fact }}", "p.md", KNOWN)
    assert [p.message for p in problems] == ["unknown fact id 'destinations'",
                                             "unknown event id 'a-fact'"]


@pytest.mark.parametrize("text", ["{{ Fact: a-fact }}", "{{ fact: a fact }}", "{{ fact: a-fact, b-fact }}x}}"])
def test_malformed_references_are_reported(text):
    assert check_references(text, "p.md", KNOWN), "a reference the checker cannot read must be reported"


def test_replace_references_keeps_the_text_around():
    text = "a {{ fact: x }} b {{ fact-table }} c"
    out = replace_references(text, lambda ref: f"[{ref.kind}:{ref.id}]")
    assert out == "a [fact:x] b [fact-table:None] c"


# --- rendering every kind -----------------------------------------------------------------

def _pools(base: FactBase) -> dict[str, list[str]]:
    """What each kind's id names, and the ids to use for it (the chart is the one rendered below)."""
    return {"fact": sorted(base.facts), "event": sorted(base.events), "chart": ["remittances-share-gdp"],
            "source": sorted(base.sources), "dated fact": sorted(f.id for f in base.facts.values() if f.period),
            "term": sorted(base.glossary), "scrolly": sorted(base.scrollies)}


def _some_id(base: FactBase, names: str) -> str:
    pools = _pools(base)
    assert names in pools, f"the test does not know which ids a {names!r} reference takes"
    return pools[names][0]


@pytest.fixture(scope="module")
def rendered(base, drawn) -> dict:
    # Only the charts the pages here use, as the run's build drew them.
    return {cid: charts.render(charts.CHARTS[cid], base, drawn)
            for cid in ("remittances-share-gdp", "kazakhstan-before-after")}


@pytest.fixture(scope="module")
def fill_at(base, rendered, drawn):
    """Fill a page's Markdown as the page served at ``url`` ('' or 'crackdown/')."""
    steps = render_steps(base, drawn)   # the scrolled sequences' step pictures, for {{ scrolly: ... }}
    return lambda markdown, url: fill(markdown, (url.rstrip("/") or "index") + ".md", base, rendered, steps=steps)


@pytest.mark.parametrize("page_url", ["", "crackdown/"])
def test_every_kind_renders(base, fill_at, page_url):
    refs = {kind: (f"{{{{ {kind}: {_some_id(base, names)} }}}}" if names else f"{{{{ {kind} }}}}")
            for kind, names in ((k, v.names) for k, v in KINDS.items())}
    page = "\n\n".join(f"<!-- {kind} -->\n{ref}" for kind, ref in refs.items())
    known = {names: set(ids) for names, ids in _pools(base).items()}
    assert check_references(page, "page.md", known) == []
    out = fill_at(page, page_url)
    assert "{{" not in out and "}}" not in out
    for kind in KINDS:
        part = out.split(f"<!-- {kind} -->\n", 1)[1].split("\n\n<!--", 1)[0]
        assert part.strip(), f"{kind} rendered to nothing"


def test_rendered_kinds_show_the_right_things(base, fill_at, rendered):
    fact, event = base.fact("uk-quota-kg-2024"), base.events[sorted(base.events)[0]]
    out = fill_at(f"{{{{ fact: {fact.id} }}}}|{{{{ period: {fact.id} }}}}|{{{{ date: {event.id} }}}}",
                              "looking-away/")
    link, period, date = out.split("|")
    assert link.startswith(f'<a class="fact" href="../data-and-sources/#fact-{fact.id}" title="')
    assert link.endswith(f">{format_fact(fact)}</a>")
    assert period == fact.period
    assert f'href="../timeline/#event-{event.id}"' in date and f">{format_partial_date(event.date)}</a>" in date


def test_chart_reference_shows_pictures_and_links_downloads(base, fill_at, rendered):
    out = fill_at("{{ chart: remittances-share-gdp }}", "crackdown/")
    files = {k: "../" + v for k, v in chart_files("remittances-share-gdp").items()}
    for scheme in ("light", "dark"):
        assert f'<img src="{files[f"svg-{scheme}-wide"]}"' in out
        assert f'srcset="{files[f"svg-{scheme}-narrow"]}"' in out
        for width in ("wide", "narrow"):
            # The live view's specs are named by their path in the site (charts.js resolves them).
            spec = chart_files("remittances-share-gdp")[f"vega-{scheme}-{width}"]
            assert f'data-vega-{scheme}-{width}="{spec}"' in out
    # The system-scheme picture holds the dark variants as media-query sources.
    auto = out.split('<picture class="chart-picture chart-auto">')[1].split("</picture>")[0]
    assert f'media="(prefers-color-scheme: dark)" srcset="{files["svg-dark-wide"]}"' in auto
    assert 'loading="eager"' in auto, "a page's first chart loads at once: it is often the largest paint"
    two = fill_at("{{ chart: remittances-share-gdp }}\n\n{{ chart: kazakhstan-before-after }}",
                              "crackdown/")
    second = two.split('id="chart-kazakhstan-before-after"')[1]
    assert 'loading="eager"' not in second and 'loading="lazy"' in second
    for kind in ("png", "svg", "csv", "spec"):
        assert f'href="{files[kind]}"' in out
    width, height = rendered["remittances-share-gdp"].size["wide"]
    assert f'width="{width}" height="{height}"' in out, "the picture's size is reserved"
    assert 'id="chart-remittances-share-gdp"' in out
    assert "<summary>Show the data</summary>" in out and "<td>about 14% of GDP</td>" in out
    assert out.count('<script type="module" src="../assets/javascripts/charts.js">') == 1


@pytest.mark.parametrize("page_url, expected", [("", ""), ("index.html", ""), ("crackdown/", "../"),
                                                ("a/b/", "../../")])
def test_relative_root(page_url, expected):
    assert relative_root(page_url) == expected


@pytest.mark.parametrize("src, expected", [("index.md", ""), ("crackdown.md", "crackdown/"),
                                           ("explore.ipynb", "explore/"), ("a/index.md", "a/"), ("a/b.md", "a/b/")])
def test_page_url_is_the_generators_directory_url(src, expected):
    assert page_url(src) == expected


# --- escaping -----------------------------------------------------------------------------

@pytest.fixture
def hostile(base) -> FactBase:
    """The real facts, with one fact's label, note and locator and the source's title set to markup."""
    fact = base.fact("uk-quota-kg-2024")
    citation = fact.sources[0].model_copy(update={"locator": EVIL})
    evil_fact = fact.model_copy(update={"label": EVIL, "note": EVIL, "sources": [citation]})
    source_id = citation.source
    evil_source = base.sources[source_id].model_copy(update={"title": EVIL, "note": EVIL})
    return FactBase({**base.sources, source_id: evil_source}, {**base.facts, fact.id: evil_fact},
                    dict(base.events), dict(base.defined_at))


@pytest.mark.parametrize("render", [
    pytest.param(lambda b: html.fact_link(b, "uk-quota-kg-2024", "../"), id="fact_link"),
    pytest.param(lambda b: html.card(b, "uk-quota-kg-2024", "../"), id="card"),
    pytest.param(html.fact_table, id="fact_table"),
    pytest.param(lambda b: html.source_list(b, "../"), id="source_list"),
    pytest.param(html.event_list, id="event_list"),
])
def test_yaml_text_is_escaped(hostile, render):
    out = render(hostile)
    assert "<script" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_fact_link_title_attribute_cannot_be_broken_out_of(base):
    fact = base.fact("uk-quota-kg-2024")
    quoted = FactBase(base.sources, {**base.facts, fact.id: fact.model_copy(update={"label": 'x" onmouseover="y'})},
                      base.events, base.defined_at)
    out = html.fact_link(quoted, fact.id, "")
    assert 'onmouseover="' not in out and "x&quot; onmouseover=&quot;y" in out


# --- the docs are made from the registry of kinds, and its examples are real ---------------------

@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md"])
def test_the_docs_reference_tables_are_made_from_the_registry(doc):
    import build

    text = (ROOT / doc).read_text(encoding="utf-8")
    assert build.TABLE_START in text, f"{doc} lost its reference table's markers"
    assert build.with_reference_table(text) == text, f"{doc} is out of date: run python build.py schema"


def test_every_example_in_the_registry_is_a_valid_reference(base):
    from pages.references import KIND_LIST

    known = {names: set(ids) for names, ids in _pools(base).items()}
    known["chart"] = set(charts.CHARTS)
    for kind in KIND_LIST:
        assert [ref.kind for ref in find_references(kind.example)] == [kind.name]
        assert check_references(kind.example, "README.md", known) == [], kind.example


def test_the_breakpoint_is_written_once(base, fill_at, rendered):
    """The pictures' media queries, the live view's switch and the phone stylesheet all use
    charts/layout.py's breakpoint; the hand-written stylesheet names none of its own."""
    import re

    from charts.layout import BREAKPOINT_CSS, NARROW_BELOW_PX, breakpoint_css

    out = fill_at("{{ chart: remittances-share-gdp }}", "crackdown/")
    assert f'data-narrow-below="{NARROW_BELOW_PX}"' in out
    assert set(re.findall(r"max-width: (\d+)px", out)) == {str(NARROW_BELOW_PX)}
    assert f"max-width: {NARROW_BELOW_PX}px" in breakpoint_css()
    assert chart_and_data_files(base, rendered, {})[BREAKPOINT_CSS] == breakpoint_css()
    # The hand-written stylesheets follow Material's own layout breakpoints (its phone and tablet
    # widths); the charts' narrow/wide switch is written only by charts/layout.py.
    material = {"44.9375em", "45em", "59.9375em", "60em", "76.1875em", "76.25em"}
    for sheet in sorted((ROOT / "docs" / "assets" / "stylesheets").glob("*.css")):
        if sheet.name.startswith("material."):
            continue   # Material's own, trimmed
        media = sheet.read_text(encoding="utf-8")
        widths = set(re.findall(r"@media[^{]*?(?:max|min)-width:\s*([\d.]+(?:px|em))", media))
        assert widths <= material, \
            f"{sheet.name}: breakpoints {sorted(widths - material)}: phone rules for charts belong in charts/layout.py"
