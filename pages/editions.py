"""The site's editions side by side: where each lives, and each page's twin in the others.

English is the site's root, Russian lives at ``ru/``; a page keeps its address within its
edition (``crackdown/`` and ``ru/crackdown/``), so a page's twin is found from its own address,
with JavaScript or without, and the switch always leads to the same page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from facts.lang import DEFAULT, EDITIONS, NAMES, prefix

# Each edition's generator configuration; the Russian one inherits the English and changes its
# language, names and navigation (ProperDocs' INHERIT).
CONFIGS = {"en": "mkdocs.yml", "ru": "mkdocs.ru.yml"}
# What the switch's link says, in the language it leads to.
READ_IN = {"en": "Read this page in English", "ru": "Читать эту страницу по-русски"}


@dataclass(frozen=True)
class Twin:
    lang: str
    name: str         # the edition's name in its own language
    title: str        # what following the link does, in that language
    href: str         # from the page, relative
    url: str | None   # absolute, when the site's address is known
    current: bool


def published(root: Path) -> tuple[str, ...]:
    """The editions a project builds: English, and each whose generator configuration it has (a
    copy of the project without mkdocs.ru.yml is an English site, and asks for no translations)."""
    return tuple(lang for lang in EDITIONS if lang == DEFAULT or (root / CONFIGS[lang]).is_file())


def twins(page_url: str, lang: str, site_url: str | None, editions: tuple[str, ...]) -> list[Twin]:
    """The page at ``page_url`` (its address within edition ``lang``) in every edition; none
    when the site has one edition."""
    if len(editions) < 2:
        return []
    depth = page_url.count("/") + prefix(lang).count("/")
    top = edition_root(site_url, lang)
    found = []
    for other in editions:
        path = prefix(other) + page_url
        href = "../" * depth + path or "./"
        found.append(Twin(other, NAMES[other], READ_IN[other], href, top + path if top else None, other == lang))
    return found


def without_edition(path: str) -> str:
    """A path in the built site within its edition: 'ru/charts/map/embed/' -> 'charts/map/embed/'."""
    for lang in EDITIONS:
        if prefix(lang) and path.lstrip("/").startswith(prefix(lang)):
            return path.lstrip("/")[len(prefix(lang)):]
    return path


def edition_root(site_url: str | None, lang: str) -> str | None:
    """The published address of the English edition (the site's root), from an edition's own."""
    if not site_url:
        return None
    return site_url.removesuffix(prefix(lang)) if prefix(lang) else site_url


LOC = re.compile(r"<loc>(?P<url>[^<]*)</loc>")


def sitemap_with_alternates(xml: str, lang: str, site_url: str | None, editions: tuple[str, ...]) -> str:
    """Each page of the sitemap with its twins in every edition (xhtml:link hreflang, as search
    engines read them)."""
    top = edition_root(site_url, lang)
    if not top or len(editions) < 2:
        return xml
    own = top + prefix(lang)

    def alternates(match: re.Match) -> str:
        url = match["url"]
        if not url.startswith(own):
            return match[0]
        page = url[len(own):]
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{other}" href="{top}{prefix(other)}{page}"/>'
                        for other in editions)
        links += f'<xhtml:link rel="alternate" hreflang="x-default" href="{top}{prefix(DEFAULT)}{page}"/>'
        return match[0] + links

    xml = LOC.sub(alternates, xml)
    sitemaps = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    return xml.replace(sitemaps, f'{sitemaps} xmlns:xhtml="http://www.w3.org/1999/xhtml"', 1)
