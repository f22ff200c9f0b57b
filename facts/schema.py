"""The contract with maintainers: what a fact, an event and a source look like.

Every YAML file in ``data/`` is one ``DataFile``.  The models are strict (no
silent "15" -> 15 coercion, no unknown fields) because a typo in a fact file
should stop the build, not quietly change a number on the site.  The JSON
Schema in ``data/schema/datafile.schema.json`` is generated from these models
(``python build.py schema``) so editors can complete and check the YAML.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema


def quoted(value: Any, limit: int = 60) -> str:
    """repr(value), cut to ``limit`` characters, so a runaway value cannot flood the report."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "…" + text[-4:]


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80,
                          description="Lower-case words joined by hyphens, unique across data/.")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
ShortText = Annotated[str, Field(min_length=1, max_length=120)]  # names a bar or a row: one line

# ISO 3166-1 alpha-2 countries (pycountry), plus EU for facts about the Union as a whole.
# CLDR's pseudo-regions (ZZ, XA, QO, ...) are not countries and are refused.
ENTITY_CODES = sorted({country.alpha_2 for country in pycountry.countries} | {"EU"})
_ENTITY_SET = frozenset(ENTITY_CODES)


def _known_entity(code: str) -> str:
    if code not in _ENTITY_SET:
        raise PydanticCustomError(
            "entity", "unknown country code {code}; expected an ISO 3166 alpha-2 code such as UZ, TJ, KG, RU, EU",
            {"code": quoted(code)})
    return code


Entity = Annotated[str, AfterValidator(_known_entity),
                   Field(description="ISO 3166-1 alpha-2 code (or EU).", json_schema_extra={"enum": ENTITY_CODES})]


def _https_url(url: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s<>\"]*)?", url):
        raise PydanticCustomError("url", "expected an https:// URL with a host name, got {url}", {"url": quoted(url)})
    return url


HttpsUrl = Annotated[str, AfterValidator(_https_url),
                     Field(pattern=r"^https://", max_length=2000,
                           description="Where a reader can check the source; https only.")]


def _plain_date(value: Any) -> Any:
    # Dates stay strings in our YAML loader (so an impossible date is a clean
    # validation error, not a crash inside PyYAML); parse them here.
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise PydanticCustomError("date", "expected a date written YYYY-MM-DD, got {value}",
                                      {"value": quoted(value)})
        try:
            return date.fromisoformat(value)
        except ValueError as err:
            raise PydanticCustomError("date", "impossible date {value}: {reason}",
                                      {"value": quoted(value), "reason": str(err)}) from None
    return value


Day = Annotated[date, BeforeValidator(_plain_date)]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day: "2024", "2025-04", "2025-04-12"."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The end of the period the date stands for: 31 December for a year-only date."""
        if self.day:
            return self.first_day()
        if not self.month:
            return date(self.year, 12, 31)
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __lt__(self, other: PartialDate) -> bool:
        # "2025" sorts before "2025-04": a year-only date is placed at its start.
        return (self.first_day(), str(self)) < (other.first_day(), str(other))

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        text = str(value) if isinstance(value, int) else value
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise PydanticCustomError(
                "partial_date", "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, got {value}",
                {"value": quoted(value)})
        year, month, day = (list(map(int, text.split("-"))) + [None, None])[:3]
        try:
            date(year, month or 1, day or 1)
        except ValueError as err:
            raise PydanticCustomError("partial_date", "impossible date {value}: {reason}",
                                      {"value": repr(text), "reason": str(err)}) from None
        return cls(year, month, day)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda v: v if isinstance(v, cls) else cls.parse(v),
            serialization=core_schema.to_string_ser_schema())

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict:
        # YAML reads a bare year (2011) as a number, so the schema accepts both forms.
        return {"anyOf": [{"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}],
                "description": "YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source is."}


def _period(value: Any) -> Any:
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})(?:[-–](\d{4}))?", value)
        if not match:
            raise PydanticCustomError("period", "expected a year (2024) or a span of years (2023-2025), got {value}",
                                      {"value": quoted(value)})
        start, end = match.group(1), match.group(2) or match.group(1)
        if end < start:
            raise PydanticCustomError("period", "the span {value} ends before it starts", {"value": quoted(value)})
        return f"{start}–{end}" if end != start else start
    return value


Period = Annotated[str, BeforeValidator(_period),
                   Field(description="The year (2024) or span of years (2023-2025) the figure refers to.",
                         json_schema_extra={"pattern": r"^\d{4}([-–]\d{4})?$", "type": ["string", "integer"]})]


# Finite, and far beyond any count or sum of money a page could state: a bigger number is a typo,
# and Babel cannot write numbers of more than about 26 digits.
MAX_FIGURE = 1e15
DECIMALS = 6   # what the site writes; a figure with more decimals would be shown as something else


def _shown_as_written(number: float) -> float:
    if round(number, DECIMALS) != number:
        raise PydanticCustomError("decimals", "{number} has more than {decimals} decimals, so the site would show "
                                              "it as {shown}; round it, or use a unit that needs fewer",
                                  {"number": repr(number), "decimals": DECIMALS,
                                   "shown": f"{round(number, DECIMALS):g}"})
    return number


Figure = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_FIGURE, le=MAX_FIGURE), AfterValidator(_shown_as_written)]


class Qualifier(StrEnum):
    """How exact the source is about a single value."""

    exact = "exact"
    about = "about"          # "around 220,000"
    up_to = "up_to"          # "up to 40 percent": an upper bound
    at_least = "at_least"
    less_than = "less_than"  # "less than 200,000": a strict upper bound
    more_than = "more_than"


class Unit(StrEnum):
    usd = "usd"                        # US dollars
    percent = "percent"                # a share, 0-100
    percent_of_gdp = "percent_of_gdp"  # a share of gross domestic product, 0-100
    people = "people"
    workers = "workers"
    jobs = "jobs"
    laws = "laws"
    agreements = "agreements"


# Units that count things or money: none can be below zero.
COUNTS = frozenset({Unit.usd, Unit.people, Unit.workers, Unit.jobs, Unit.laws, Unit.agreements})


def _not_in_the_future(day: date) -> date:
    if day > date.today():
        raise PydanticCustomError("future", "{day} is in the future; expected the day it was checked, today or "
                                            "earlier", {"day": day.isoformat()})
    return day


CheckedDay = Annotated[date, BeforeValidator(_plain_date), AfterValidator(_not_in_the_future)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Stamp = Annotated[str, Field(pattern=r"^[0-9a-f]{10}$", description="The first ten hex digits of the "
                             "SHA-256 of the English text this translation follows; the build says when the English "
                             "changes, and gives the new stamp to put here once the translation follows it again.")]


class Translation(Strict):
    """The Russian of an item's reader-visible text, under the English fields' names (``ru:``)."""

    translated_from: Stamp | None = None


class CitationRu(Translation):
    locator: Text | None = None
    says: Text | None = None


class Citation(Strict):
    """Where a figure stands: a source from data/sources.yaml and the place in it."""

    source: Id = Field(description="The id of a source in data/sources.yaml.")
    locator: Text = Field(description="Where in the source the figure stands, e.g. 'paragraph 10'.")
    says: Text | None = Field(None, description="What this source says about the item, in the site's words "
                                                "(required for every source but the retold article).")
    dates: bool = Field(False, description="On an event: this source gives the event's date as precisely "
                                           "as the date field states it.")
    ru: CitationRu | None = Field(None, description="Russian: what it says, and the locator (unless it is "
                                                   "'paragraph N', which the build translates).")


Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$", max_length=20)]


class SourceRole(StrEnum):
    """What a source is to the site."""

    retold = "retold"      # the analysis the site retells: exactly one
    report = "report"      # a news report, found and named exactly, that dates or confirms an item
    primary = "primary"    # the body that produced a figure: a central bank, a ministry, the World Bank


class SourceRu(Translation):
    note: Text | None = None


class Source(Strict):
    id: Id
    role: SourceRole = Field(strict=False, description="retold (the article), report or primary.")
    title: Text
    publisher: Text
    url: HttpsUrl
    published: PartialDate
    language: Language | None = Field(None, description="The title's language if not English, as a "
                                                        "BCP 47 code (ru, uk), so screen readers say it right.")
    note: Text | None = None
    ru: SourceRu | None = Field(None, description="Russian of the note; titles stay as published.")


class FactRu(Translation):
    label: ShortText | None = None
    note: Text | None = None
    period_text: ShortText | None = None


class Fact(Strict):
    id: Id
    label: ShortText = Field(description="A short human name, used in charts and tables.")
    value: Figure | None = Field(None, description="The figure, for a single value. Use low/high for a range.")
    low: Figure | None = Field(None, description="Lower end of a range (with high).")
    high: Figure | None = Field(None, description="Upper end of a range (with low).")
    # Enums take their plain text value from YAML (strict mode would demand an Enum object).
    qualifier: Qualifier = Field(Qualifier.exact, strict=False, description="How exact the single value is.")
    unit: Unit = Field(strict=False, description="What the figure counts: usd, percent, percent_of_gdp, people, "
                                                 "workers, jobs, laws or agreements.")
    period: Period | None = Field(None, description="The year or span the figure refers to, only if the "
                                                      "source gives one; omit it when the source gives none.")
    period_text: ShortText | None = Field(None, description="How the source places an undated figure in "
                                                            "time, in words with no year: 'each year before "
                                                            "Russia's crackdown'.")
    entities: list[Entity] = Field(min_length=1, description="The countries the figure concerns (ISO 3166-1 "
                                                              "alpha-2 codes, or EU).")
    note: Text | None = Field(None, description="Context for the figure, in the site's words.")
    sources: list[Citation] = Field(min_length=1, description="At least one; the article first.")
    as_of: PartialDate = Field(description="When the figure was stated by its source.")
    checked: CheckedDay = Field(description="When a maintainer last checked the figure against its source "
                                            "(YYYY-MM-DD), today or earlier.")
    ru: FactRu | None = Field(None, description="Russian of the label, note and period_text.")

    @model_validator(mode="after")
    def _value_or_range(self) -> Fact:
        if self.period is not None and self.period_text is not None:
            raise PydanticCustomError("period_both", "give period (a year the source states) or period_text "
                                                     "(words, when it states none), not both")
        has_value, has_range = self.value is not None, (self.low is not None or self.high is not None)
        if has_value == has_range:
            raise PydanticCustomError("value_or_range", "give either value, or both low and high (a range)")
        if has_range:
            if self.low is None or self.high is None:
                missing = "low" if self.low is None else "high"
                raise PydanticCustomError("range_incomplete", "a range needs both low and high; {name} is missing",
                                          {"name": missing})
            if self.low > self.high:
                raise PydanticCustomError("range_order", "low ({low}) is greater than high ({high})",
                                          {"low": _num(self.low), "high": _num(self.high)})
            if self.qualifier is not Qualifier.exact:
                raise PydanticCustomError("range_qualifier", "a range takes no qualifier; low and high say it")
        if self.unit in COUNTS:
            for name in ("value", "low", "high"):
                number = getattr(self, name)
                if number is not None and number < 0:
                    raise PydanticCustomError("negative", "{name} is {number}; a count of {unit} or a sum of money "
                                                          "cannot be negative", {"name": name, "number": _num(number),
                                                                                 "unit": self.unit.value})
        if self.unit in (Unit.percent, Unit.percent_of_gdp):
            for name in ("value", "low", "high"):
                number = getattr(self, name)
                if number is not None and not 0 <= number <= 100:
                    raise PydanticCustomError("percent", "{name} is {number}; a percentage is between 0 and 100",
                                              {"name": name, "number": _num(number)})
        return self

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def central(self) -> float:
        """One number to place a mark at: the value, or the middle of a range."""
        return self.value if self.value is not None else (self.low + self.high) / 2


class EventRu(Translation):
    title: ShortText | None = None
    description: Text | None = None
    place: Text | None = None


class Event(Strict):
    id: Id
    date: PartialDate = Field(description="As precise as a cited source gives it. More precise than "
                                          "article_date only with a citation marked dates: true.")
    article_date: PartialDate | None = Field(None, description="The date as precisely as the retold article "
                                                               "gives it; omit it when the article gives none.")
    title: ShortText = Field(description="A short title.")
    description: Text = Field(description="What happened, in the site's words.")
    place: Text | None = Field(None, description="Where it happened.")
    entities: list[Entity] = Field(min_length=1, description="The countries concerned (ISO 3166-1 alpha-2 codes).")
    sources: list[Citation] = Field(min_length=1, description="At least one; the article first.")
    responds_to: list[Id] = Field([], description="Events this one answers; it cannot be dated before them.")
    checked: CheckedDay = Field(description="When a maintainer last checked the event against its sources "
                                            "(YYYY-MM-DD), today or earlier.")
    ru: EventRu | None = Field(None, description="Russian of the title, description and place.")


class CorrectionRu(Translation):
    summary: Text | None = None
    reason: Text | None = None


class Correction(Strict):
    """A change a reader should know about: what was wrong on the site, and what it says now."""

    id: Id
    date: Day = Field(description="When the correction was published (YYYY-MM-DD).")
    summary: Text = Field(description="What changed, in a sentence or two.")
    reason: Text = Field(description="Why: what was wrong, and on what evidence.")
    items: list[Id] = Field([], description="Ids of the facts and events it concerns, if any.")
    ru: CorrectionRu | None = Field(None, description="Russian of the summary and reason.")


class TermRu(Translation):
    term: ShortText | None = None
    definition: Text | None = None


class Term(Strict):
    """A glossary entry: a name or word a general reader may not know."""

    id: Id
    term: ShortText
    definition: Text
    ru: TermRu | None = Field(None, description="Russian of the term and definition.")


class TextRu(Translation):
    text: Text | None = None


class AnnotationKind(StrEnum):
    """What an annotation draws on its chart."""

    reference_line = "reference_line"   # a line across the chart at a fact's value, with its text
    callout = "callout"                 # a note beside one event (or one fact's mark)


class Annotation(Strict):
    """A note drawn on a chart: declared beside the facts, drawn by whatever chart it names."""

    id: Id
    chart: Id = Field(description="The id of the chart it is drawn on (a chart declared in charts/).")
    kind: AnnotationKind = Field(strict=False, description="reference_line (at a fact's value) or callout "
                                                           "(beside an event or a fact's mark).")
    fact: Id | None = Field(None, description="The fact it marks: a reference line stands at its value.")
    event: Id | None = Field(None, description="The event a callout points at (a chart of events).")
    text: ShortText = Field(description="The words drawn beside it, in the site's words; {fact-id} puts in a "
                                        "fact's value and {period:fact-id} its year, so no figure is typed.")
    entity: Entity | None = Field(None, description="Whose colour it is drawn in (RU: Russia's); without it, "
                                                    "the neutral colour.")
    ru: TextRu | None = Field(None, description="Russian of the text.")

    @model_validator(mode="after")
    def _one_anchor(self) -> Annotation:
        if (self.fact is None) == (self.event is None):
            raise PydanticCustomError("annotation_anchor", "give exactly one of fact: and event:, the item "
                                                           "the annotation marks")
        if self.kind is AnnotationKind.reference_line and self.fact is None:
            raise PydanticCustomError("annotation_line", "a reference_line stands at a fact's value; "
                                                         "give fact:, not event:")
        return self


class ScrollyStep(Strict):
    """One step of a scrolled sequence: its words, and the state of the chart while it is read."""

    text: Text = Field(description="What the step says, in the site's words; {fact-id} puts in a fact's "
                                   "value, {period:fact-id} its year, {share:part/whole} a share in words.")
    highlight: list[Entity] = Field(min_length=1, description="The countries the chart shows in colour in this "
                                                              "step (ISO codes); the others are drawn faint.")
    annotations: list[Id] = Field([], description="Ids of annotations declared for this sequence that the "
                                                  "step's picture shows.")
    ru: TextRu | None = Field(None, description="Russian of the text.")


class ScrollyRu(Translation):
    title: ShortText | None = None


class Scrolly(Strict):
    """A sequence of steps told over one pinned chart, each step drawn at build time as its own picture."""

    id: Id
    chart: Id = Field(description="The chart whose states the steps show (one that can draw a highlight).")
    title: ShortText = Field(description="The sequence's heading.")
    steps: list[ScrollyStep] = Field(min_length=2, description="At least two steps, in reading order.")
    ru: ScrollyRu | None = Field(None, description="Russian of the title.")


class DataFile(Strict):
    """One YAML file in data/: any of sources, facts, events, corrections, glossary terms,
    annotations and scrolled sequences."""

    sources: list[Source] = []
    facts: list[Fact] = []
    events: list[Event] = []
    corrections: list[Correction] = []
    glossary: list[Term] = []
    annotations: list[Annotation] = []
    scrollies: list[Scrolly] = []


def _num(x: float) -> str:
    return f"{x:g}"
