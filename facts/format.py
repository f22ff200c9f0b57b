"""How a fact reads: "up to 40% of GDP", "$11.5 billion", "2–5 million", "about 220,000";
in the Russian edition «до 40% ВВП», «$11,5 млрд», «2–5 млн работников», «около 220 000».

One place decides how numbers, qualifiers, units, dates and sources are
written, so prose, tooltips, tables and downloads always agree, in each edition
(facts/lang.py: the one being made).  Babel does the locale-aware work (digit
grouping, "million", month names, CLDR plural rules); what CLDR does not hold,
the Russian forms of the units' nouns and of fractions in words, is in the
tables below.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from .lang import DEFAULT, N_, current, t, tn
from .schema import Fact, PartialDate, Qualifier, Source, Unit

COMPACT_FROM = 1_000_000  # below this, write the number out: 220,000 reads better than 220K

# English words, marked N_ for the catalog: each edition's are looked up with t() when shown.
QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.about: N_("about"),
    Qualifier.up_to: N_("up to"),
    Qualifier.at_least: N_("at least"),
    Qualifier.less_than: N_("less than"),
    Qualifier.more_than: N_("more than"),
}

# How the precision of a figure is named in legends, tooltips and tables.
PRECISION_NAMES = {
    Qualifier.exact: N_("exact"),
    Qualifier.about: N_("approximate"),
    Qualifier.up_to: N_("upper bound"),
    Qualifier.less_than: N_("upper bound"),
    Qualifier.at_least: N_("lower bound"),
    Qualifier.more_than: N_("lower bound"),
}
RANGE_NAME = N_("range")

UNIT_NAMES = {
    Unit.usd: N_("US dollars"),
    Unit.percent: N_("percent"),
    Unit.percent_of_gdp: N_("percent of GDP"),
    Unit.people: N_("people"),
    Unit.workers: N_("workers"),
    Unit.jobs: N_("jobs"),
    Unit.laws: N_("laws"),
    Unit.agreements: N_("agreements"),
}


def qualifier_words(qualifier: Qualifier) -> str:
    return t(QUALIFIER_WORDS[qualifier]) if QUALIFIER_WORDS[qualifier] else ""


def unit_name(unit: Unit) -> str:
    """What a unit is called in tables and tooltips ('percent of GDP')."""
    return t(UNIT_NAMES[unit])


def precision_name(fact: Fact) -> str:
    """'approximate', 'upper bound', 'range': how exact a figure is, in legends and tables."""
    return t(RANGE_NAME if fact.is_range else PRECISION_NAMES[fact.qualifier])


def plain_number(number: float | None) -> float | int | None:
    """40.0 -> 40, so CSV and JSON downloads read as the YAML does."""
    return int(number) if number is not None and float(number).is_integer() else number


def format_number(number: float) -> str:
    """A bare number: '220,000', '1 million', '11.5 billion', '1.25 million', '2.5'.

    Large figures read in words only when that loses nothing: 1,234,567 stays
    in digits rather than being rounded to '1.23 million'.
    """
    if is_compact(number):
        # Russian writes «2 млн», «11,5 млрд» (CLDR's short form); English "2 million".
        style = "long" if current() == DEFAULT else "short"
        return format_compact_decimal(number, format_type=style, locale=current(), fraction_digits=2)
    # As many decimals as the fact was written with (up to six), so 0.001 never reads "0";
    # and 0 rather than "-0".
    return format_decimal(number + 0.0, format="#,##0.######", locale=current())


def is_compact(number: float) -> bool:
    """Whether the number reads in words ('2 million'): only when that loses nothing."""
    if abs(number) < COMPACT_FROM:
        return False
    magnitude = 1e9 if abs(number) >= 1e9 else 1e6
    scaled = number / magnitude
    return abs(round(scaled, 2) - scaled) < 1e-9


_SYMBOL_UNITS = (Unit.usd, Unit.percent, Unit.percent_of_gdp)  # "$4", "4%": symbols take digits


def format_count(count: int, noun: str, plural: str | None = None) -> str:
    """'one value', 'three events', '12 values': a count in a sentence, with its plural; in Russian
    «3 события» (digits: a number word would have to agree with a noun of unknown gender)."""
    words = tn(noun, plural or noun + "s", count)
    if current() != DEFAULT:
        return f"{format_decimal(count, locale=current())}\u00a0{words}"
    number = SMALL_NUMBER_WORDS.get(count) or format_decimal(count, locale=current())
    return f"{number} {words}"


def _with_unit(text: str, unit: Unit) -> str:
    if unit is Unit.usd:
        return f"${text}"
    if unit is Unit.percent:
        return f"{text}%"
    if unit is Unit.percent_of_gdp:
        of_gdp = t("of GDP")   # outside the f-string, where the catalog's extractor finds it
        return f"{text}% {of_gdp}"
    return text


# A number and the word of its scale: "2 million", «2 млн» (CLDR's Russian joins them with a no-break space).
SCALE_WORD = re.compile(r"(?P<number>.*\d)(?P<space>[ \u00a0])(?P<word>\D+)$")


def _range(low: float, high: float) -> str:
    """'2–5 million' rather than '2 million–5 million'; '10,000–15,000' as is (Russian «2–5 млн»,
    whose CLDR short form joins number and word with a no-break space)."""
    low_text, high_text = format_number(low), format_number(high)
    low_match, high_match = SCALE_WORD.match(low_text), SCALE_WORD.match(high_text)
    if low_match and high_match and low_match["word"] == high_match["word"]:
        return f"{low_match['number']}–{high_match['number']}{high_match['space']}{high_match['word']}"
    return f"{low_text}–{high_text}"


# In running prose, as the article and most style guides do, one to nine are words ("four
# people", "six agreements"); tables, charts and cards keep digits.
SMALL_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                      9: "nine"}


def format_fact(fact: Fact, prose: bool = False) -> str:
    """The fact as it reads in a sentence, with its qualifier and unit; ``prose`` spells out one to nine.
    In Russian a counted unit brings its noun, in the form the number needs (russian_count)."""
    if current() != DEFAULT and fact.unit in RUSSIAN_NOUNS:
        return russian_count(fact, prose)
    if fact.is_range:
        return _with_unit(_range(fact.low, fact.high), fact.unit)
    spelled = SMALL_NUMBER_WORDS.get(fact.value) if prose and fact.unit not in _SYMBOL_UNITS else None
    text = spelled or _with_unit(format_number(fact.value), fact.unit)
    words = qualifier_words(fact.qualifier)
    return f"{words} {text}" if words else text


def format_figure(fact: Fact) -> str:
    """The figure with its qualifier and a symbol unit but no counted noun, for a label whose own
    words say what it counts (a map's «прибыли: около 2 млн»). In English, as format_fact."""
    if current() == DEFAULT or fact.unit not in RUSSIAN_NOUNS:
        return format_fact(fact)
    if fact.is_range:
        return _range(fact.low, fact.high)
    words = qualifier_words(fact.qualifier)
    return f"{words} {format_number(fact.value)}" if words else format_number(fact.value)


# --- Russian counts ---------------------------------------------------------------------------
# A Russian number governs its noun: 1 закон, 2 закона, 5 законов (CLDR's one, few, many), and
# after «около», «до», «более» every number takes the genitive: около 21 закона, около 30 законов.
# So a counted fact reads with its noun, and a page never types a noun the number may outgrow.

@dataclass(frozen=True)
class RussianNoun:
    one: str          # 1, 21 (nominative singular)
    few: str          # 2–4, 22–24 (genitive singular)
    many: str         # 5–20, 25–30 (genitive plural)
    gender: str       # "m", "f" or "n": how one and two agree with it
    genitive_one: str   # after a qualifier, with a number ending in one: «около 21 закона»


RUSSIAN_NOUNS = {
    Unit.people: RussianNoun("человек", "человека", "человек", "m", "человека"),
    Unit.workers: RussianNoun("работник", "работника", "работников", "m", "работника"),
    Unit.jobs: RussianNoun("рабочее место", "рабочих места", "рабочих мест", "n", "рабочего места"),
    Unit.laws: RussianNoun("закон", "закона", "законов", "m", "закона"),
    Unit.agreements: RussianNoun("соглашение", "соглашения", "соглашений", "n", "соглашения"),
}
# One to nine in words, as in English prose: nominative by gender, and the genitive after a qualifier.
RUSSIAN_NUMBER_WORDS = {1: {"m": "один", "f": "одна", "n": "одно"}, 2: {"m": "два", "f": "две", "n": "два"},
                        3: "три", 4: "четыре", 5: "пять", 6: "шесть", 7: "семь", 8: "восемь", 9: "девять"}
RUSSIAN_NUMBER_WORDS_GENITIVE = {1: {"m": "одного", "f": "одной", "n": "одного"}, 2: "двух", 3: "трёх",
                                 4: "четырёх", 5: "пяти", 6: "шести", 7: "семи", 8: "восьми", 9: "девяти"}


def russian_count(fact: Fact, prose: bool) -> str:
    """«около 30 законов», «шесть соглашений», «2–5 млн работников», «10 000 человек»."""
    noun = RUSSIAN_NOUNS[fact.unit]
    qualifier = "" if fact.is_range else qualifier_words(fact.qualifier)
    last = fact.high if fact.is_range else fact.value
    if fact.is_range:
        number = _range(fact.low, fact.high)
    elif prose and fact.value in RUSSIAN_NUMBER_WORDS:
        words = (RUSSIAN_NUMBER_WORDS_GENITIVE if qualifier else RUSSIAN_NUMBER_WORDS)[fact.value]
        number = words[noun.gender] if isinstance(words, dict) else words
    else:
        number = format_number(fact.value)
    category = Locale.parse("ru").plural_form(last)   # CLDR: one, few, many, or other (a fraction)
    if is_compact(last) or fact.is_range:
        form = noun.many                     # «2 млн работников», «10 000–15 000 человек»
    elif qualifier:
        form = noun.genitive_one if category == "one" else noun.many
    else:
        form = {"one": noun.one, "few": noun.few, "many": noun.many}.get(category, noun.few)   # «1,5 закона»
    text = f"{number}\u00a0{form}"
    return f"{qualifier} {text}" if qualifier else text


# Where CLDR's English name differs from the one the article uses, the article's wins, so one
# country has one name across prose, charts and tables.
# In Russian, the name each country uses for itself in Russian where Russia's usage differs
# (Кыргызстан, not Киргизия), and the article's "South Korea" (CLDR: «Республика Корея").
ARTICLE_NAMES = {"en": {"TR": "Turkey", "EU": "European Union"},
                 "ru": {"KG": "Кыргызстан", "KR": "Южная Корея"}}


def entity_name(code: str) -> str:
    """'UZ' -> 'Uzbekistan' (or «Узбекистан»), from CLDR, so names match the reader's locale."""
    return ARTICLE_NAMES[current()].get(code) or Locale.parse(current()).territories[code]


def entity_names(codes: list[str]) -> str:
    """['TJ', 'KG'] -> 'Tajikistan and Kyrgyzstan'; three or more: 'A, B and C'."""
    names = [entity_name(code) for code in codes]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " " + t("and") + " " + names[-1]


def format_period(fact: Fact) -> str:
    """When a figure applies, no more precisely than its source says: '2024', '2023–2025', the source's
    own words ('each year before Russia's crackdown'), or, when it gives no time at all, 'as stated in
    October 2025'. An undated figure never gains a year it was not given."""
    if fact.period:
        return fact.period
    if fact.period_text:
        return fact.period_text
    stated = t("as stated on {date}") if fact.as_of.precision == "day" else t("as stated in {date}")
    return stated.format(date=format_partial_date(fact.as_of))


# Russian: the month stands alone in the nominative («апрель 2025 г.», CLDR's "LLLL"), a day
# takes the genitive («12 апреля 2025 г.»); both with «г.» after a no-break space, as Russian style writes it.
DATE_PATTERNS = {"en": {"year": "yyyy", "month": "MMMM yyyy", "day": "d MMMM yyyy"},
                 "ru": {"year": "y", "month": "LLLL y\u00a0'г'.", "day": "d MMMM y\u00a0'г'."}}


def format_partial_date(when: PartialDate) -> str:
    """'2024', 'April 2025', '12 April 2025': no more precise than the source."""
    return format_date(when.first_day(), DATE_PATTERNS[current()][when.precision], locale=current())


# The months in the prepositional case, for «в апреле 2025 г.» (CLDR has no prepositional forms).
RUSSIAN_MONTHS_IN = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                     "октябре", "ноябре", "декабре")


def format_date_in_prose(when: PartialDate) -> str:
    """An event's date as a sentence places it. English: as format_partial_date (the page writes
    "on" or "in"). Russian: a time adverbial with its preposition, since the case follows from it:
    «22 марта 2024 г.», «в апреле 2025 г.», «в 2024 г.»."""
    if current() == DEFAULT or when.precision == "day":
        return format_partial_date(when)
    if when.precision == "month":
        return f"в {RUSSIAN_MONTHS_IN[when.month - 1]} {when.year}\u00a0г."
    return f"в {when.year}\u00a0г."


def upper_first(text: str) -> str:
    """The text with its first letter a capital, the rest as it is ('EU' stays 'EU'): a heading
    or a label made from words that stand mid-sentence elsewhere."""
    return text[:1].upper() + text[1:]


def stop_after_abbreviation(text: str) -> str:
    """One full stop where a date's «г.» ends a sentence («…в 2024 г.», not «…в 2024 г..»)."""
    return ABBREVIATION_STOP.sub(r"\1", text)


ABBREVIATION_STOP = re.compile(r"(\bг\.)\.(?!\.)")


def format_day(day: date) -> str:
    """'27 November 2026'."""
    return format_date(day, DATE_PATTERNS[current()]["day"], locale=current())


def format_source(source: Source, locator: str | None = None) -> str:
    """'Carnegie Politika, Carnegie Endowment for International Peace, October 2025, paragraph 10'."""
    parts = [source.title, source.publisher, format_partial_date(source.published)]
    if locator:
        parts.append(locator)
    return ", ".join(parts)


# --- Shares and multiples in words ------------------------------------------------------------
# A chart's finding says "about three-quarters", not "76.67%": the words come from the facts'
# values, and never claim more than the facts do. A bound stays a bound ("up to two-fifths",
# rounded away from the figure so it still holds), an approximate figure stays "about", and an
# exact one is "about" only when the fraction is not exactly it.

FRACTIONS = ((1 / 10, "a tenth"), (1 / 6, "a sixth"), (1 / 5, "a fifth"), (1 / 4, "a quarter"),
             (1 / 3, "a third"), (2 / 5, "two-fifths"), (1 / 2, "half"), (3 / 5, "three-fifths"),
             (2 / 3, "two-thirds"), (3 / 4, "three-quarters"), (4 / 5, "four-fifths"), (9 / 10, "nine-tenths"),
             (1.0, "all"))
NEAR = 0.035   # how far a share may sit from a fraction and still read "about" it

UPPER_BOUNDS = (Qualifier.up_to, Qualifier.less_than)
LOWER_BOUNDS = (Qualifier.at_least, Qualifier.more_than)


class CannotWord(ValueError):
    """A share or multiple that words cannot state without claiming more than the facts do."""


def combined_qualifier(part: Fact, whole: Fact | None = None) -> Qualifier:
    """The qualifier of part / whole: a bound on the part bounds the ratio the same way; a bound on
    the whole bounds it the other way; anything approximate makes it approximate."""
    for fact in (part, whole):
        if fact is not None and fact.is_range:
            raise CannotWord(f"fact {fact.id} is a range; a share in words needs one value")
    qualifiers = {part.qualifier} | ({_flip(whole.qualifier)} if whole is not None else set())
    qualifiers.discard(Qualifier.exact)
    if not qualifiers:
        return Qualifier.exact
    if qualifiers == {Qualifier.about}:
        return Qualifier.about
    if len(qualifiers) == 1:
        return qualifiers.pop()
    raise CannotWord(f"the qualifiers {sorted(q.value for q in qualifiers)} together bound nothing")


def _flip(qualifier: Qualifier) -> Qualifier:
    return {Qualifier.up_to: Qualifier.at_least, Qualifier.less_than: Qualifier.more_than,
            Qualifier.at_least: Qualifier.up_to, Qualifier.more_than: Qualifier.less_than}.get(qualifier, qualifier)


# The same fractions in Russian: (nominative, genitive). An exact share reads in the nominative
# («три четверти»); after «около», «до», «более», «менее», «не менее» in the genitive.
RUSSIAN_FRACTIONS = {"a tenth": ("одна десятая", "одной десятой"), "a sixth": ("одна шестая", "одной шестой"),
                     "a fifth": ("одна пятая", "одной пятой"), "a quarter": ("четверть", "четверти"),
                     "a third": ("треть", "трети"), "two-fifths": ("две пятых", "двух пятых"),
                     "half": ("половина", "половины"), "three-fifths": ("три пятых", "трёх пятых"),
                     "two-thirds": ("две трети", "двух третей"), "three-quarters": ("три четверти", "трёх четвертей"),
                     "four-fifths": ("четыре пятых", "четырёх пятых"),
                     "nine-tenths": ("девять десятых", "девяти десятых"), "all": ("все", "всех")}


def share_in_words(share: float, qualifier: Qualifier) -> str:
    """0.767, exact -> 'about three-quarters'; 0.4, up_to -> 'up to two-fifths'; 0.55, exact ->
    'more than half'. In Russian «около трёх четвертей», «до двух пятых», «более половины»."""
    qualifier, words = _share(share, qualifier)
    if current() != DEFAULT:
        nominative, genitive = RUSSIAN_FRACTIONS[words]
        return f"{qualifier_words(qualifier)} {genitive}" if qualifier is not Qualifier.exact else nominative
    return f"{QUALIFIER_WORDS[qualifier]} {words}" if qualifier is not Qualifier.exact else words


def _share(share: float, qualifier: Qualifier) -> tuple[Qualifier, str]:
    """The fraction that states the share without claiming more than it (its English name), and
    the qualifier that goes with it."""
    if not 0 < share <= 1:
        raise CannotWord(f"a share of {share:g} is not between 0 and 1")
    if qualifier in UPPER_BOUNDS:
        value, words = min((f for f in FRACTIONS if f[0] >= share - 1e-9), key=lambda f: f[0])
        return qualifier, words
    if qualifier in LOWER_BOUNDS:
        below = [f for f in FRACTIONS if f[0] <= share + 1e-9]
        if not below:
            raise CannotWord(f"a lower bound of {share:g} is below a tenth")
        return qualifier, max(below, key=lambda f: f[0])[1]
    value, words = min(FRACTIONS, key=lambda f: abs(f[0] - share))
    if abs(value - share) < 1e-9:
        return qualifier, words      # exact, or about (an approximate figure)
    if abs(value - share) <= NEAR:
        return Qualifier.about, words
    below = [f for f in FRACTIONS if f[0] < share]
    if not below:
        return Qualifier.less_than, "a tenth"
    return Qualifier.more_than, max(below, key=lambda f: f[0])[1]


def times_in_words(ratio: float, qualifier: Qualifier) -> str:
    """10, exact -> 'ten times'; 6.06, about -> 'about six times': whole multiples only, in words
    up to nine (the one-to-nine rule), digits above. Russian: «в десять раз», «примерно в шесть раз»."""
    if ratio < 1.5:
        raise CannotWord(f"a ratio of {ratio:g} is not a multiple worth stating")
    whole = round(ratio)
    if qualifier in UPPER_BOUNDS:
        whole = math.ceil(ratio - 1e-9)
    elif qualifier in LOWER_BOUNDS:
        whole = math.floor(ratio + 1e-9)
    exact = abs(whole - ratio) < 1e-9 and qualifier is Qualifier.exact
    if qualifier is Qualifier.exact and not exact:
        qualifier = Qualifier.about
    if current() != DEFAULT:
        return _russian_times(whole, qualifier)
    number = SMALL_NUMBER_WORDS.get(whole) or format_decimal(whole, locale=current())
    return f"{number} times" if qualifier is Qualifier.exact else f"{QUALIFIER_WORDS[qualifier]} {number} times"


def _russian_times(whole: int, qualifier: Qualifier) -> str:
    """«в шесть раз», «примерно в шесть раз», «более чем в шесть раз», «в 12 раз»."""
    words = RUSSIAN_NUMBER_WORDS.get(whole)
    number = (words["m"] if isinstance(words, dict) else words) if words else format_decimal(whole, locale="ru")
    times = "раза" if Locale.parse("ru").plural_form(whole) == "few" else "раз"
    phrase = f"в {number} {times}"
    before = {Qualifier.exact: "", Qualifier.about: "примерно ", Qualifier.up_to: "не более чем ",
              Qualifier.less_than: "менее чем ", Qualifier.at_least: "не менее чем ",
              Qualifier.more_than: "более чем "}[qualifier]
    return before + phrase


def format_share(part: Fact, whole: Fact | None = None) -> str:
    """A percentage fact (``whole`` None) or part / whole as a fraction in words."""
    qualifier = combined_qualifier(part, whole)
    if whole is not None and whole.value == 0:
        raise CannotWord(f"fact {whole.id} is zero; a share of it cannot be stated")
    share = part.value / 100 if whole is None else part.value / whole.value
    return share_in_words(share, qualifier)


def format_times(larger: Fact, smaller: Fact) -> str:
    """How many times ``smaller`` goes into ``larger``, in words."""
    qualifier = combined_qualifier(larger, smaller)
    if smaller.value == 0:
        raise CannotWord(f"fact {smaller.id} is zero; no multiple of it can be stated")
    return times_in_words(larger.value / smaller.value, qualifier)
