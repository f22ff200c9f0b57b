"""ProperDocs adapter: hands the pipeline's outputs (pipeline.Built) to the generator.

Nothing here decides anything. ``build.py`` checks and renders once, then gives the result
to this module (``prepared``) before the generator starts; ``python -m properdocs serve``
(and a bare ``properdocs build``) run the same two stages here, on every rebuild. ProperDocs
is the maintained fork of MkDocs 1.6; its hook events and plugin API are MkDocs'.

ProperDocs loads this file once per process. In the preview, every rebuild imports
the project's own modules afresh, so an edit to charts/ or facts/ shows without
a restart, and data problems are shown on the page instead of stopping it.
"""

from __future__ import annotations

import faulthandler
import importlib
import logging
import os
import re
import sys
from pathlib import Path

from properdocs.exceptions import PluginError
from properdocs.plugins import event_priority
from properdocs.structure.files import File

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

serving = False   # set by on_startup for `properdocs serve`
prepared = None   # a pipeline.Built that build.py made for this build; None: make one here
built = None      # the pipeline.Built of the current build
problems = None   # the preview shows these instead of pages while data/ has problems
pipeline = None   # the pipeline module, imported afresh for each preview rebuild
build_cache = None   # the build cache folder ($BUILD_CACHE_DIR or .cache/build), None for none; set by on_config


def _fresh_pipeline():
    """Import pipeline and everything of ours it uses anew (edits to charts/ take effect)."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(str(ROOT)) and f"{os.sep}.venv{os.sep}" not in file and name != __name__:
            del sys.modules[name]
    return importlib.import_module("pipeline")


def on_startup(command, dirty):
    global serving
    serving = command == "serve"
    if command == "build":
        # Show warnings, not progress. (`build --quiet` would drop warnings before
        # --strict counts them, so a broken link would pass: the level is set here instead.)
        logging.getLogger("properdocs").setLevel(logging.WARNING)


STUCK_AFTER_SECONDS = 90  # a preview rebuild takes ~12 s; far longer means something hangs


def on_config(config):
    global built, problems, pipeline, build_cache
    built, problems = prepared, None
    if serving:
        # If a rebuild ever hangs, say where, in the terminal, instead of waiting silently.
        faulthandler.dump_traceback_later(STUCK_AFTER_SECONDS, exit=False)
        pipeline = _fresh_pipeline()
    elif pipeline is None:
        pipeline = importlib.import_module("pipeline")   # build.py has imported it already
    build_cache, _ = pipeline.cache_dir_from_env(ROOT)   # an unusable one is the pipeline's to report
    _cache_notebook_pages(config, build_cache)
    if built is None:
        ProblemsFound = sys.modules["facts.problems"].ProblemsFound
        try:
            # Only the maintainer's preview flags facts due for a re-check; the published site does not.
            stale_after = _stale_after() if serving else None
            # The preview does not wait for the notebook: it shows the last run, and rebuilds when
            # the new one lands in the folder on_serve watches.
            # The preview shows a missing translation on the page; the build refuses it.
            built = pipeline.build_outputs(ROOT, lang=_edition(config), site_name=config["site_name"],
                                           site_url=config["site_url"], flag_stale_after=stale_after,
                                           wait_for_notebooks=not serving, untranslated_ok=serving)
        except ProblemsFound as found:
            _stop_or_show(found)
    return config


def _edition(config) -> str:
    """The edition this configuration builds (mkdocs.yml: en, mkdocs.ru.yml: ru)."""
    return config["extra"].get("edition", "en")


def on_env(env, config, files):
    """The templates' words in this edition: ``{{ t("Part") }}``, as the code's (facts/lang.py);
    and the templates compiled once, into the build cache."""
    from facts.lang import translate

    lang = _edition(config)
    env.globals["t"] = lambda message: translate(message, lang)
    env.globals["edition"] = lang
    _cache_compiled_templates(env, build_cache)
    return env


def _cache_compiled_templates(env, cache_dir: Path | None) -> None:
    """Every build and preview rebuild makes a new Jinja environment, which compiled Material's
    templates again (about a second of a warm build of both editions). Jinja's own bytecode cache
    keeps them in the build cache: an entry is named by its template and checked against the
    template's source; the folder is named by Jinja's version and the settings the compiled code
    depends on. No cache dir, no cache."""
    from hashlib import sha256
    from importlib.metadata import version

    from jinja2 import FileSystemBytecodeCache

    if cache_dir is None:
        return
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else getattr(env.autoescape, "__qualname__", "?")
    settings = repr((sorted(env.extensions), autoescape, env.finalize is not None, env.is_async, env.optimized,
                     env.block_start_string, env.block_end_string, env.variable_start_string,
                     env.variable_end_string, env.comment_start_string, env.comment_end_string,
                     env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                     env.newline_sequence, env.keep_trailing_newline))
    folder = cache_dir / f"jinja-{version('jinja2')}-{sha256(settings.encode()).hexdigest()[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def on_page_context(context, page, config, nav):
    """The page's twins in every edition, for the language switch and the hreflang links."""
    from pages.editions import twins

    editions = built.checked.editions if built else ("en",)
    context["editions"] = twins(page.url, _edition(config), config["site_url"], editions)
    return context


def _stale_after() -> int | None:
    from facts.problems import ProblemsFound
    from facts.staleness import stale_after_days

    try:
        return stale_after_days()
    except ProblemsFound as found:
        print(found.report(), file=sys.stderr, flush=True)
        return None   # the preview goes on without flags; the message says why


def _cache_notebook_pages(config, cache_dir: Path | None) -> None:
    """mkdocs-jupyter's HTML cache is keyed on the notebook's bytes. It is given the executed
    copy (outputs included), so the key covers the data; the folder name adds nbconvert's
    version, which the key does not, and the edition: after each build the plugin deletes every
    entry in its folder that the build did not use, so editions sharing one would delete each
    other's, and every build would convert both notebooks again. No cache dir, no cache."""
    from importlib.metadata import version

    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter:
        jupyter.config["cache"] = cache_dir is not None
        if cache_dir:
            folder = f"jupyter-nbconvert-{version('nbconvert')}-{_edition(config)}"
            jupyter.config["cache_dir"] = str(cache_dir / folder)


def _stop_or_show(found) -> None:
    """A build stops with the problems. The preview keeps running: every page shows them
    (and the browser reloads) until the file is fixed. Printed, not logged, so --strict still serves."""
    if not serving:
        raise PluginError("\n" + found.report())
    global problems
    print(found.report(), file=sys.stderr, flush=True)
    problems = found


def on_serve(server, config, builder):
    """Rebuild when a notebook run finishes (the preview does not wait for it)."""
    from pages.notebooks import finished_signal

    if build_cache:
        signal = finished_signal(build_cache / "notebooks")
        signal.parent.mkdir(parents=True, exist_ok=True)
        server.watch(str(signal.parent))
    return server


def on_shutdown():
    global built, prepared
    # The edition is written: let its files go. ProperDocs loads this module once per process
    # and shares it between configurations, so build.py renders the next edition while these
    # globals would still hold this one.
    built = prepared = None


def on_post_build(config):
    faulthandler.cancel_dump_traceback_later()
    if not serving and prepared is None:   # a bare `properdocs build`; build.py writes them for every edition
        from pages import csp
        csp.write_headers(Path(config["site_dir"]), framable=csp.framable)


@event_priority(50)  # before mkdocs-jupyter's on_files, which reads the notebooks we swap in
def on_files(files, config):
    from facts.translations import edition_of

    # Every edition's pages are in docs/ (crackdown.md, crackdown.ru.md): a build keeps the English
    # names only, and another edition puts its own text under them (built.pages, below).
    for file in [f for f in files if edition_of(f.src_uri)[0] != "en"]:
        files.remove(file)
    if problems:
        # Pages show the problems; a notebook would run on broken data, or has failed: leave it out,
        # and say nothing of its nav entry (the problems say what to fix; this config is re-read
        # on the next rebuild).
        for file in [f for f in files if f.src_uri.endswith(".ipynb")]:
            files.remove(file)
        config.validation.nav.not_found = logging.DEBUG
        return files
    if built.checked.lang != "en":
        for file in [f for f in files if f.src_uri in built.pages]:
            files.remove(file)
    for src, folder in built.notebooks.items():
        # The page is made from the executed copy (same name, other folder); mkdocs-jupyter
        # only converts it (execute: false in mkdocs.yml).
        if (english := files.get_file_from_path(src)) is not None:
            files.remove(english)
        files.append(File(src, str(folder), config["site_dir"], config["use_directory_urls"]))
    for path, content in built.files.items():
        files.append(File.generated(config, path, content=content))
    for src, markdown in built.pages.items():
        # Made by the build (the chart pages), or another edition's (its Markdown, front matter and all)
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=markdown))
    return files


# A notebook heading as mkdocs-jupyter writes it when its text has no ASCII letters: no id.
_UNNAMED_HEADING = re.compile(r'(<h[1-6] id=")(")(.*?<a class="anchor-link" href="#)(")', re.DOTALL)


def on_page_content(html, page, config, files):
    """mkdocs-jupyter names a notebook's headings from their ASCII letters only, so a Russian
    heading gets an empty id and its contents entry an id no heading has ('_1'). Give each such
    heading, in order, a Unicode slug of its title, as Python-Markdown names a Russian page's
    headings (mkdocs.ru.yml), and its contents entry the same."""
    if not page.file.src_uri.endswith(".ipynb") or 'id=""' not in html:
        return html
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    entries = [entry for top in page.toc for entry in (top, *_descendants(top))]
    ids = iter(entries)

    def name(match: re.Match) -> str:
        entry = next(ids, None)
        if entry is None:
            return match[0]
        entry.id = slug(entry.title, "-")
        return f"{match[1]}{entry.id}{match[2]}{match[3]}{entry.id}{match[4]}"

    return _UNNAMED_HEADING.sub(name, html)


def _descendants(entry):
    for child in entry.children:
        yield child
        yield from _descendants(child)


def on_page_markdown(markdown, page, config, files):
    if problems:
        return pipeline.problems_page(problems)
    src = page.file.src_uri
    if page.url != pipeline.page_url(src):
        raise PluginError(f"{src} is served at {page.url!r}, but its links were made for "
                          f"{pipeline.page_url(src)!r}; keep use_directory_urls on")
    preview = built.previews[src]
    page.meta.setdefault("description", preview.description or config["site_description"])
    page.meta["preview_image"] = preview.image
    if src not in built.pages:
        return markdown   # a notebook: mkdocs-jupyter converts it
    return pipeline.split_front_matter(built.pages[src])[1]   # the generator has read the front matter


# The Content-Security-Policy (pages/csp.py) goes into every built page. Not in the preview:
# its live-reload script is inline and new on every load, so no hash could allow it.
@event_priority(-100)  # last, so the hashes are of the HTML as it is written
def on_post_page(output, page, config):
    if serving:
        return output
    from pages import csp

    # A Markdown page's content needs no inline script or style, and a notebook page needs only those
    # its template brings: the cells (Markdown, and outputs) get no hash, so a script in them stays blocked.
    if page.file.src_uri.endswith(".ipynb"):
        return csp.add_policy(output, csp.notebook_cells(page.content), styled_content=True)
    return csp.add_policy(output, page.content)


def on_post_template(output, template_name, config):
    if template_name == "sitemap.xml":   # the generator gzips what this returns, too
        from pages import chart_pages, editions
        return editions.sitemap_with_alternates(chart_pages.sitemap_without_embeds(output), _edition(config),
                                                config["site_url"], built.checked.editions if built else ("en",))
    if serving or not template_name.endswith(".html"):  # 404.html
        return output
    from pages import csp

    return csp.add_policy(output)
