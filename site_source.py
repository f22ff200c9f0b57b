"""The second adapter: the site's complete source in a folder, for any Material-compatible generator.

``write_source(built, folder)`` writes what ``mkdocs_hooks.py`` hands ProperDocs, as plain
files: every page with its references filled in (the link preview in its front matter),
every generated file (charts, downloads, cards, the breakpoint stylesheet), each executed
notebook converted to HTML by nbconvert inside a Markdown page, the theme overrides, and a
``mkdocs.yml`` without the hooks and the notebook plugin. A generator that reads
``mkdocs.yml`` (Zensical does) builds that folder as it is; ``secure(site)`` then adds each
page's Content-Security-Policy and ``_headers``, as the hooks do during a ProperDocs build.

    python site_source.py OUT                  write the source (check and render first)
    zensical build -f OUT/mkdocs.yml           build it into OUT/site
    python site_source.py --secure OUT/site    add the policies

tests/test_zensical.py does all three and follows every link of the result.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

import pipeline
from facts.lang import translate
from pages import chart_pages, csp
from pages.fill import split_front_matter

ROOT = Path(__file__).resolve().parent
NOTEBOOK_PLUGIN = "mkdocs-jupyter"
# Zensical rewrites the relative links in a page's raw HTML as it does Markdown links: from the
# page's source file (pages/fill.py). Build the Built you give write_source with this.
LINKS_FROM = "source"
# Overrides written for Material's markup that another theme's would break: the search dialog's
# name for screen readers (Zensical's search is a different component, which names itself).
MATERIAL_ONLY_OVERRIDES = ("partials/search.html",)


def write_source(built: pipeline.Built, folder: Path, config_file: Path = ROOT / "mkdocs.yml") -> Path:
    """Write the site's source into ``folder`` (which must not exist); return its mkdocs.yml."""
    checked = built.checked
    docs = folder / "docs"
    # Static files as they are (stylesheets, scripts), then everything the pipeline made.
    shutil.copytree(checked.docs_dir, docs, ignore=shutil.ignore_patterns("*.md", "*.ipynb"))
    for path, content in built.files.items():
        pipeline.write_file(docs / path, content)
    for src, markdown in built.pages.items():
        pipeline.write_file(docs / src, _with_preview(markdown, built.previews[src]))
    for src, executed in built.notebooks.items():
        page = Path(src).with_suffix(".md").as_posix()
        pipeline.write_file(docs / page, _with_preview(notebook_page(executed / src), built.previews[src]))
        shutil.copyfile(executed / src, docs / src)   # readers download it, outputs included
    config = read_config(config_file)
    theme = config.get("theme", {})
    if theme.get("custom_dir"):
        shutil.copytree(checked.root / theme["custom_dir"], folder / theme["custom_dir"])
        for name in MATERIAL_ONLY_OVERRIDES:
            (folder / theme["custom_dir"] / name).unlink(missing_ok=True)
        for template in (folder / theme["custom_dir"]).rglob("*.html"):
            template.write_text(words_in_place(template.read_text(encoding="utf-8"), checked.lang),
                                encoding="utf-8")
    config.pop("hooks", None)
    config.pop("watch", None)
    config["plugins"] = [p for p in config.get("plugins", []) if _name(p) != NOTEBOOK_PLUGIN]
    config["nav"] = _renamed(config.get("nav", []), {src: Path(src).with_suffix(".md").as_posix()
                                                     for src in built.notebooks})
    config["site_dir"] = "site"
    out = folder / "mkdocs.yml"
    out.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


TEMPLATE_WORDS = re.compile(r"""(?<![.\w])t\((?P<quote>["'])(?P<message>.*?)(?P=quote)\)""")


def words_in_place(template: str, lang: str) -> str:
    """The template with each ``t("...")`` replaced by the edition's words as a string literal: the
    hooks give ProperDocs' Jinja a ``t``, and another generator's templates have none."""
    def literal(match: re.Match) -> str:
        words = translate(match["message"], lang)
        return '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return TEMPLATE_WORDS.sub(literal, template)


def notebook_page(notebook: Path) -> str:
    """A Markdown page holding the executed notebook as HTML (nbconvert's 'basic' template:
    the cells and their outputs, no page around them), under the notebook's first heading."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", anchor_link_text="")
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    download = f"[Download the notebook with its outputs]({notebook.name})"
    return f"<div class=\"notebook\" markdown=\"0\">\n{body}\n</div>\n\n{download}\n"


def _with_preview(markdown: str, preview: pipeline.Preview) -> str:
    """The page with its link preview in the front matter, where the theme's template reads it."""
    front, body = split_front_matter(markdown)
    meta = yaml.safe_load(front.strip().strip("-")) if front else {}
    meta = meta or {}
    meta["preview_image"] = preview.image
    if preview.description and "description" not in meta:
        meta["description"] = str(preview.description)
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body


def _name(plugin) -> str:
    return plugin if isinstance(plugin, str) else next(iter(plugin))


def _renamed(nav, names: dict[str, str]):
    """The nav with each notebook entry pointing at its Markdown page."""
    if isinstance(nav, list):
        return [_renamed(item, names) for item in nav]
    if isinstance(nav, dict):
        return {title: _renamed(value, names) for title, value in nav.items()}
    return names.get(nav, nav)


def read_config(config_file: Path = ROOT / "mkdocs.yml") -> dict:
    """mkdocs.yml as data, its !ENV values read from the environment as the generator would."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's !ENV [NAME, default] as the variable's value or its default."""


def _env(loader, node):
    import os

    *names, default = loader.construct_sequence(node)
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def secure(site: Path) -> None:
    """Give every built page its Content-Security-Policy, and write ``_headers``: the page's
    own content (its <article>) gets no hash, so a script that slipped into it stays blocked.
    The sitemap loses the embed views, as the hooks have it drop them in a ProperDocs build."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if csp.META.search(html):
            continue
        notebook = 'class="notebook"' in html
        page.write_text(csp.add_policy(html, csp.article(html), styled_content=notebook), encoding="utf-8")
    csp.write_headers(site, framable=csp.framable)
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        sitemap.write_text(chart_pages.sitemap_without_embeds(sitemap.read_text(encoding="utf-8")), encoding="utf-8")


def main(argv: list[str]) -> int:
    from facts.problems import ProblemsFound

    if argv[:1] == ["--secure"] and len(argv) == 2:
        secure(Path(argv[1]))
        return 0
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    folder = Path(argv[0])
    if folder.exists():
        print(f"error: {folder} exists; give a new folder", file=sys.stderr)
        return 2
    try:
        config = read_config()
        built = pipeline.build_outputs(ROOT, site_name=config["site_name"], site_url=config.get("site_url"),
                                       links_from=LINKS_FROM)
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr)
        return 1
    print(f"wrote {write_source(built, folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
