"""The site's editions (English and Russian), which one is being made, and the words of the code.

One build makes every edition from the same checked facts: ``with edition("ru"):`` around a
render makes every formatter, chart and page in it Russian. The edition is a context variable,
not an argument, because every formatter, chart builder and page maker reads it: passing it
through each would touch every signature for one setting (Babel's and Django's ``force_locale``
/ ``activate`` work the same way).

Words written in the code (an axis title, "Show the data", a template's "Part 2 of 6") are
wrapped in ``t("...")``; their Russian is in ``locale/ru/LC_MESSAGES/messages.po``, the
gettext catalog any translation tool opens (Poedit, Weblate). The English text is the key, so
an English edit leaves its old translation behind and the new text untranslated, which the
check reports (facts/translations.py). Words from data/ are translated beside them, in ``ru:``
blocks; pages beside theirs, as ``<page>.ru.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "en"
EDITIONS = ("en", "ru")                 # the default first
CATALOG = ROOT / "locale" / "{lang}" / "LC_MESSAGES" / "messages.po"
NAMES = {"en": "English", "ru": "Русский"}   # each edition's name in its own language, for the switch

# A process may be started in an edition: the notebook's kernel, run for the Russian page, is
# given SITE_EDITION=ru, so the same code cells show the edition's figures and words.
EDITION_ENV = "SITE_EDITION"
STARTED_IN: str = os.environ.get(EDITION_ENV, DEFAULT)
_current: ContextVar[str] = ContextVar("edition", default=STARTED_IN)


def current() -> str:
    """The edition being made: 'en' or 'ru'."""
    return _known(_current.get())


@contextmanager
def edition(lang: str) -> Iterator[None]:
    """Make everything inside in ``lang``'s edition."""
    token = _current.set(_known(lang))
    try:
        yield
    finally:
        _current.reset(token)


def _known(lang: str) -> str:
    if lang not in EDITIONS:
        raise ValueError(f"unknown edition {lang!r}; expected one of {', '.join(EDITIONS)}")
    return lang


def prefix(lang: str | None = None) -> str:
    """Where an edition's pages live under the site's root: '' for English, 'ru/' for Russian."""
    lang = lang or current()
    return "" if lang == DEFAULT else f"{lang}/"


def t(message: str) -> str:
    """``message`` (English, as written in the code) in the current edition's language; the
    English itself while a translation is missing (the check reports it, so no build ships it)."""
    lang = current()
    if lang == DEFAULT:
        return message
    return catalog(lang).get(message) or message


def N_(message: str) -> str:
    """Marks words declared before any edition is chosen (a chart's title in its decorator) for
    the catalog; whoever shows them translates them then, with t()."""
    return message


def translate(message: str, lang: str) -> str:
    """``message`` in ``lang``'s edition, whichever is current (a template's words: the generator
    renders them outside the build's edition)."""
    with edition(lang):
        return t(message)


@cache
def _translated_messages(lang: str) -> tuple:
    """The edition's gettext catalog: only entries with a translation that is not marked fuzzy
    (a translator's guess awaiting review)."""
    path = Path(str(CATALOG).format(lang=lang))
    if not path.is_file():
        return ()
    with path.open("rb") as file:
        return tuple(m for m in read_po(file, locale=lang) if m.id and m.string and not m.fuzzy
                     and (not isinstance(m.string, tuple) or all(m.string)))


@cache
def catalog(lang: str) -> dict[str, str]:
    """English -> translation."""
    return {m.id: m.string for m in _translated_messages(lang) if isinstance(m.id, str)}


def tn(singular: str, plural: str, count: float) -> str:
    """The form of a counted word for ``count``: English's two, or the edition's CLDR plural
    forms (Russian has three: 1 закон, 2 закона, 5 законов), from the catalog's plural entry."""
    lang = current()
    if lang == DEFAULT:
        return singular if count == 1 else plural
    forms = plural_catalog(lang).get(singular)
    if not forms:
        return singular if count == 1 else plural
    return forms[min(PLURAL_INDEX[lang](count), len(forms) - 1)]


def _russian_plural_index(count: float) -> int:
    """gettext's index for Russian (the catalog's Plural-Forms): CLDR one 0, few 1, many 2; a
    fraction ('other') takes the few form (1,5 закона)."""
    from babel import Locale

    form = Locale.parse("ru").plural_form(count)
    return {"one": 0, "few": 1, "many": 2}.get(form, 1)


PLURAL_INDEX = {"ru": _russian_plural_index}


@cache
def plural_catalog(lang: str) -> dict[str, tuple[str, ...]]:
    """English singular -> the edition's forms, for the catalog's plural entries."""
    return {m.id[0]: tuple(m.string) for m in _translated_messages(lang) if isinstance(m.id, tuple)}
