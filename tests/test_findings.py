"""A chart's heading states its finding in words made from its facts, keeping their qualifiers."""

from __future__ import annotations

import dataclasses
import re

import pytest

import charts
from charts.cache import chart_inputs
from charts.registry import PLACEHOLDER, CannotDraw
from conftest import ROOT
from facts.format import CannotWord, format_share, format_times, share_in_words, times_in_words
from facts.load import load_factbase
from facts.problems import ProblemsFound
from facts.schema import Qualifier as Q
from pages import html


@pytest.mark.parametrize(("share", "qualifier", "words"), [
    (11.5 / 15, Q.exact, "about three-quarters"),     # near a fraction: about
    (0.75, Q.exact, "three-quarters"),                # exactly it: no "about"
    (0.75, Q.about, "about three-quarters"),          # an approximate figure stays approximate
    (0.4, Q.up_to, "up to two-fifths"),               # a bound stays a bound
    (0.38, Q.up_to, "up to two-fifths"),              # rounded away from the figure, so it still holds
    (0.38, Q.less_than, "less than two-fifths"),
    (0.42, Q.at_least, "at least two-fifths"),        # a lower bound rounds down
    (0.55, Q.exact, "more than half"),                # between fractions: what it is more than
    (0.5, Q.exact, "half"),
    (0.03, Q.exact, "less than a tenth"),
])
def test_a_share_in_words(share, qualifier, words):
    assert share_in_words(share, qualifier) == words


@pytest.mark.parametrize(("ratio", "qualifier", "words"), [
    (10, Q.exact, "10 times"), (6.06, Q.about, "about six times"), (3, Q.exact, "three times"),
    (2.5, Q.up_to, "up to three times"), (2.5, Q.at_least, "at least two times"),
])
def test_a_multiple_in_words(ratio, qualifier, words):
    assert times_in_words(ratio, qualifier) == words


@pytest.fixture(scope="module")
def base():
    return load_factbase(ROOT / "data", ROOT)


def test_ratios_of_facts_combine_their_qualifiers(base):
    assert format_share(base.fact("uz-remittances-from-russia-2024"), base.fact("uz-remittances-total-2024")) \
        == "about three-quarters"
    assert format_share(base.fact("tj-kg-remittances-share-gdp")) == "up to two-fifths"
    assert format_times(base.fact("uae-limit-after"), base.fact("uae-limit-before")).endswith("times")
    # An upper bound over a lower bound is still an upper bound; the other way round bounds nothing.
    before = base.fact("kz-labor-arrivals-before")   # less than 200,000
    exact = base.fact("uz-remittances-total-2024")
    assert format_share(before.model_copy(update={"value": 100.0}), exact.model_copy(update={"value": 1000.0})) \
        == "less than a tenth"
    with pytest.raises(CannotWord):
        format_share(before, before.model_copy(update={"qualifier": Q.less_than, "value": 400000.0}))
    with pytest.raises(CannotWord, match="range"):
        format_share(base.fact("eu-agreement-flow-per-country"), exact)


@pytest.mark.parametrize("chart_id", sorted(charts.CHARTS))
def test_every_chart_has_a_finding_with_no_typed_figure(base, chart_id):
    chart = charts.CHARTS[chart_id]
    assert chart.finding, f"{chart_id} states no finding"
    assert not re.search(r"\d", PLACEHOLDER.sub("", chart.finding)), "a figure typed into the finding"
    text = chart.finding_text(base)
    assert text[0].isupper() and "{" not in text


def test_the_heading_is_the_finding_and_the_title_its_subtitle(base):
    chart = charts.CHARTS["uzbekistan-remittances-origin"]
    rendered = charts.render(chart, chart_inputs(chart, base))
    figure = html.chart_figure(base, rendered, "")
    heading = re.search(r'<a class="chart-title"[^>]*>([^<]*)</a><span class="chart-summary chart-subtitle">([^<]*)',
                        figure)
    assert heading[1] == "About three-quarters of Uzbekistan&#x27;s remittances came from Russia in 2024"
    assert heading[2] == "Where Uzbekistan&#x27;s remittances came from, 2024"
    # The picture's text alternative says both.
    alt = re.search(r' alt="([^"]*)"', figure)[1]
    assert alt.startswith("About three-quarters of Uzbekistan&#x27;s remittances came from Russia in 2024. Where ")


def test_the_finding_follows_an_edit_in_data(base):
    russia = base.fact("uz-remittances-from-russia-2024")
    edited = dataclasses.replace(base, facts={**base.facts, russia.id: russia.model_copy(update={"value": 7.5e9})})
    assert charts.CHARTS["uzbekistan-remittances-origin"].finding_text(edited) == \
        "Half of Uzbekistan's remittances came from Russia in 2024"


def test_a_finding_the_facts_no_longer_support_is_refused_at_the_fact(base):
    """Kazakhstan's flow grown past Russia's is not 'a share of Russia's': the build says so at the fact."""
    kz = base.fact("kz-labor-arrivals-2025")
    edited = dataclasses.replace(base, facts={**base.facts, kz.id: kz.model_copy(update={"value": 3e6})})
    chart = charts.CHARTS["destinations"]
    with pytest.raises(ProblemsFound) as found:
        chart.spec(chart_inputs(chart, edited))
    assert isinstance(found.value.__cause__, CannotDraw)
    [problem] = found.value.problems
    assert (problem.file, problem.line) == base.defined_at[kz.id][:2]
    assert "cannot be put in words" in problem.message


def test_the_largest_flow_the_finding_names_is_the_largest(base):
    """The destinations finding names Kazakhstan as the largest flow outside Russia; the data agree."""
    from charts.destinations import FLOWS
    largest = max(FLOWS, key=lambda f: base.fact(f[0]).high or base.fact(f[0]).value)
    assert largest[0] == "kz-labor-arrivals-2025" and "Kazakhstan" in charts.CHARTS["destinations"].finding
