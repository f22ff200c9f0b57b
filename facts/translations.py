"""The other editions' text, and what it lacks.

    translated(base, lang)        the fact base with each item's ``ru:`` text in place of the English
    data_problems(base, lang)     items whose English has no translation, or one made from older English
    page_problems(docs_dir, root) pages without a twin, twins without a page, twins of older English
    catalog_problems(lang)        words in the code without a translation in the gettext catalog

A translation says which English it follows with a stamp, ``translated_from``: the first ten hex
digits of the SHA-256 of that English (an item's translated fields, or a page's whole file). When the
English changes, the stamp no longer matches, and the problem gives the new stamp to write once the
translation follows again: a reviewer sees both edits in one diff.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from .lang import CATALOG, DEFAULT, EDITIONS, catalog, edition, plural_catalog, t
from .load import KINDS, FactBase
from .problems import Problem, display_path

# Words in the code are marked with these (facts/lang.py); format_count takes a noun and its plural.
KEYWORDS = {"t": None, "N_": None, "tn": (1, 2), "format_count": (2, 3)}
MAPPING = "babel.cfg"   # where the words are: Python modules and the theme's templates
# The article's locators: "paragraph 3" is translated here, any other locator in the citation's ru: block.
PARAGRAPH = re.compile(r"^paragraph (?P<n>\d+)$")


def stamp(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _english(item: BaseModel, fields: Iterable[str]) -> dict[str, str]:
    return {name: getattr(item, name) for name in fields if getattr(item, name, None) is not None}


def _translatable(item: BaseModel) -> list[str]:
    """The English fields an item's ``ru:`` block translates (the block's model names them)."""
    block = type(item).model_fields["ru"].annotation.__args__[0]
    fields = [name for name in block.model_fields if name != "translated_from"]
    if "locator" in fields and PARAGRAPH.match(item.locator):
        fields.remove("locator")   # the article's "paragraph N": the build translates it
    return fields


def item_stamp(item: BaseModel) -> str:
    """The stamp of the English an item's ``ru:`` block translates."""
    return stamp(json.dumps(_english(item, _translatable(item)), sort_keys=True, ensure_ascii=False))


# --- The translated fact base -----------------------------------------------------------------

def translated(base: FactBase, lang: str) -> FactBase:
    """``base`` with the edition's text in place of the English wherever it is given (where it is
    missing, the English stays: the preview shows it, marked; the build refuses it), and no
    ``ru:`` blocks: an edition's charts depend on its own words only, so a Russian edit never
    redraws an English chart."""
    return dataclasses.replace(base, **{kind: {key: _apply(item, lang) for key, item in getattr(base, kind).items()}
                                        for kind in KINDS})


def _apply(item: BaseModel, lang: str) -> BaseModel:
    block = getattr(item, lang, None) if lang != DEFAULT else None
    update = {name: value for name, value in (block or {}) if value is not None and name != "translated_from"}
    update.update({other: None for other in EDITIONS[1:] if other in type(item).model_fields})
    for name in ("sources", "steps"):   # citations and scrolled steps carry their own blocks
        if isinstance(getattr(item, name, None), list):
            update[name] = [_apply(child, lang) for child in getattr(item, name)]
    if (lang != DEFAULT and "locator" in type(item).model_fields and "locator" not in update
            and (m := PARAGRAPH.match(item.locator))):
        with edition(lang):
            update["locator"] = t("paragraph {n}").format(n=m["n"])
    return item.model_copy(update=update)


# --- What is missing or stale -----------------------------------------------------------------

def data_problems(base: FactBase, lang: str) -> list[Problem]:
    """Every item (and citation, and step) whose English text has no ``lang`` text, or whose
    translation follows older English; at its ``ru:`` block, or the item where it has none."""
    problems = []
    for kind in KINDS:
        for item_id, item in getattr(base, kind).items():
            children = [("", item)]
            if kind != "sources":
                children += [(f"sources[{i}]", c) for i, c in enumerate(getattr(item, "sources", None) or [])]
            children += [(f"steps[{i}]", s) for i, s in enumerate(getattr(item, "steps", None) or [])]
            for path, child in children:
                block = f"{path}.{lang}" if path else lang
                file, line, column = base.field_at.get((item_id, block)) or base.defined_at[item_id]
                where = f"{kind}({item_id}){'.' + path if path else ''}.{lang}"
                problems += _item_problems(child, lang, Problem(file, line, column, where, ""))
    return problems


def _item_problems(item: BaseModel, lang: str, at: Problem) -> list[Problem]:
    english = _english(item, _translatable(item))
    if not english:
        return []
    block = getattr(item, lang)
    missing = [name for name in english if block is None or getattr(block, name) is None]
    if missing:
        return [dataclasses.replace(at, field=f"{at.field}.{name}",
                                    message=f"no {LANGUAGE_NAMES[lang]} text; expected a translation of "
                                            f"{english[name][:60]!r}")
                for name in missing]
    now = item_stamp(item)
    if block.translated_from != now:
        said = (f"it follows older English (stamp {block.translated_from})" if block.translated_from
                else "it has no stamp of the English it follows")
        return [dataclasses.replace(at, field=f"{at.field}.translated_from",
                                    message=f"{said}; check the {LANGUAGE_NAMES[lang]} against the English, then "
                                            f'set translated_from: "{now}"')]
    return []


LANGUAGE_NAMES = {"ru": "Russian"}
TWIN = ".{lang}"     # docs/crackdown.md -> docs/crackdown.ru.md
FRONT_STAMP = re.compile(r"^translated_from:\s*[\"']?(?P<stamp>[0-9a-f]*)[\"']?\s*$", re.MULTILINE)


def twin_name(src: str, lang: str) -> str:
    """'crackdown.md' -> 'crackdown.ru.md'."""
    stem, dot, suffix = src.rpartition(".")
    return f"{stem}{TWIN.format(lang=lang)}.{suffix}"


def edition_of(src: str) -> tuple[str, str]:
    """A page's edition and its English name: 'crackdown.ru.md' -> ('ru', 'crackdown.md'),
    'crackdown.md' -> ('en', 'crackdown.md'). Only pages (.md, .ipynb) have editions: a theme's
    lunr.ru.min.js is not a translation."""
    stem, dot, suffix = src.rpartition(".")
    for lang in EDITIONS[1:]:
        if suffix in ("md", "ipynb") and stem.endswith(TWIN.format(lang=lang)):
            return lang, f"{stem.removesuffix(TWIN.format(lang=lang))}.{suffix}"
    return DEFAULT, src


def page_stamp(docs_dir: Path, src: str) -> str:
    return stamp((docs_dir / src).read_text(encoding="utf-8"))


def translated_from(text: str, src: str) -> str | None:
    """A twin's stamp: in a page's front matter, or a notebook's metadata."""
    if src.endswith(".ipynb"):
        return json.loads(text).get("metadata", {}).get("translated_from")
    if text.startswith("---"):
        front = text.split("\n---", 1)[0]
        if m := FRONT_STAMP.search(front):
            return m["stamp"]
    return None


def page_problems(docs_dir: Path, sources: Iterable[str], root: Path, editions: tuple[str, ...]) -> list[Problem]:
    """Each English page needs a twin in every edition, each twin an English page, and each twin's
    stamp must be that of the English file as it is now."""
    sources = set(sources)
    problems = []
    for src in sorted(sources):
        lang, english = edition_of(src)
        shown = display_path(docs_dir / src, root)
        if lang == DEFAULT:
            for other in editions[1:]:
                if twin_name(src, other) not in sources:
                    problems.append(Problem(shown, 1, 1, "", f"no {LANGUAGE_NAMES[other]} text: expected "
                                            f"{display_path(docs_dir / twin_name(src, other), root)}"))
            continue
        if english not in sources:
            problems.append(Problem(shown, 1, 1, "", f"translates {english}, which does not exist; rename it "
                                                     "after its English page, or remove it"))
            continue
        now, said = page_stamp(docs_dir, english), translated_from((docs_dir / src).read_text(encoding="utf-8"), src)
        if said != now:
            state = f"follows older English (stamp {said})" if said else "has no stamp of the English it follows"
            problems.append(Problem(shown, 1, 1, "translated_from",
                                    f"it {state}; check it against {english}, then set translated_from: \"{now}\""))
    return problems


def _extracted(root: Path):
    """(file, line, message) of every word the code marks, as Babel extracts them (babel.cfg)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / MAPPING).open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    # Only the folders babel.cfg names: not node_modules/, site/ or the notebook's outputs, which
    # Babel would otherwise walk file by file (0.36 s to 0.21 s a check, on every build and rebuild).
    mapped = {pattern.split("/", 1)[0] for pattern, _ in method_map}

    def wanted(folder: str) -> bool:
        parts = Path(os.path.relpath(folder, root)).parts
        return not parts or (parts[0] in mapped and not any(part.startswith((".", "_")) for part in parts))

    for filename, line, message, comments, _ in extract_from_dir(root, method_map, options_map, keywords=KEYWORDS,
                                                                  comment_tags=(), strip_comment_tags=True,
                                                                  directory_filter=wanted):
        yield filename, line, message, comments


def catalog_problems(lang: str, root: Path) -> list[Problem]:
    """Each word the code marks for translation (facts/lang.py) needs a translation in the
    edition's catalog, not marked fuzzy; at the place in the code that uses it."""
    known, plurals = catalog(lang), plural_catalog(lang)
    po = display_path(Path(str(CATALOG).format(lang=lang)), root)
    problems, seen = [], set()
    for filename, line, message, _ in _extracted(root):
        singular = message[0] if isinstance(message, tuple) else message
        if not singular or singular in seen:
            continue
        seen.add(singular)
        if singular in known or singular in plurals:
            continue
        problems.append(Problem(filename, line, 1, "", f"no {LANGUAGE_NAMES[lang]} text for {singular!r} in {po}; "
                                                       "run `python build.py catalog` and translate it there"))
    return problems


def update_catalog(lang: str, root: Path) -> tuple[Path, int]:
    """Bring the edition's catalog up to the code's words: new ones added untranslated, those no
    longer used kept as obsolete (#~), each entry's places in the code refreshed; what is already
    translated is kept. Returns the catalog and how many entries need a translation."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(fuzzy=False)
    for filename, line, message, comments in _extracted(root):
        template.add(message, None, [(filename, line)], auto_comments=comments)
    path = Path(str(CATALOG).format(lang=lang))
    if path.is_file():
        with path.open("rb") as file:
            messages = read_po(file, locale=lang)
    else:
        messages = Catalog(locale=lang)
    created = messages.creation_date
    messages.update(template, no_fuzzy_matching=True)
    messages.creation_date = created   # the header changes only when the words do
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, messages, width=0, sort_by_file=True)
    untranslated = sum(1 for m in messages if m.id and (not m.string or (isinstance(m.string, tuple)
                                                                          and not all(m.string))))
    return path, untranslated
