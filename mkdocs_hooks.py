"""Site generator glue: hands every build (and every `properdocs serve` rebuild) to pipeline.Project.

Nothing here decides anything; it only connects the generator's events to the pipeline, so
`python build.py` and `python -m properdocs serve` share one code path. ProperDocs is the
maintained fork of MkDocs 1.6; its hook events and plugin API are MkDocs'.

ProperDocs loads this file once per process. In the preview, every rebuild imports
the project's own modules afresh, so an edit to charts/ or facts/ shows without
a restart, and data problems are shown on the page instead of stopping it.
"""

from __future__ import annotations

import faulthandler
import importlib
import logging
import os
import sys
from pathlib import Path

from properdocs.exceptions import PluginError
from properdocs.plugins import event_priority
from properdocs.structure.files import File

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

serving = False   # set by on_startup for `properdocs serve`
project = None    # the pipeline.Project of the current build
pipeline = None   # the pipeline module, imported afresh for each preview rebuild


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
    global project, pipeline
    if serving:
        # If a rebuild ever hangs, say where, in the terminal, instead of waiting silently.
        faulthandler.dump_traceback_later(STUCK_AFTER_SECONDS, exit=False)
        pipeline = _fresh_pipeline()
    elif pipeline is None:
        pipeline = importlib.import_module("pipeline")   # build.py has imported it already
    from facts.staleness import stale_after_days

    # Only the maintainer's preview flags facts due for a re-check; the published site does not.
    try:
        stale_after = stale_after_days() if serving else None
    except sys.modules["facts.problems"].ProblemsFound as found:
        print(found.report(), file=sys.stderr, flush=True)
        stale_after = None   # the preview goes on without flags; the message says why
    project = pipeline.Project(flag_stale_after=stale_after)
    _cache_notebook_pages(config)
    try:
        project.check()
        project.start_notebooks()   # runs in the background while the charts render
        project.render_charts()     # a chart that cannot draw its facts says which, and why
    except sys.modules["facts.problems"].ProblemsFound as found:
        _stop_or_show(found)
    return config


def _cache_notebook_pages(config) -> None:
    """mkdocs-jupyter's HTML cache is keyed on the notebook's bytes. It is given the executed
    copy (outputs included), so the key covers the data; the folder name adds nbconvert's
    version, which the key does not. No cache dir, no cache."""
    from importlib.metadata import version

    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter:
        jupyter.config["cache"] = project.cache_dir is not None
        if project.cache_dir:
            jupyter.config["cache_dir"] = str(project.cache_dir / f"jupyter-nbconvert-{version('nbconvert')}")


def _stop_or_show(found) -> None:
    """A build stops with the problems. The preview keeps running: every page shows them
    (and the browser reloads) until the file is fixed. Printed, not logged, so --strict still serves."""
    if not serving:
        raise PluginError("\n" + found.report())
    print(found.report(), file=sys.stderr, flush=True)
    project.problems = found


def on_post_build(config):
    faulthandler.cancel_dump_traceback_later()
    if not serving:
        from pages import csp
        csp.write_headers(Path(config["site_dir"]))


@event_priority(50)  # before mkdocs-jupyter's on_files, which reads the notebooks we swap in
def on_files(files, config):
    if not project.problems:
        try:
            executed = project.notebook_dirs()
        except sys.modules["facts.problems"].ProblemsFound as found:
            _stop_or_show(found)
    if project.problems:
        # Pages show the problems; a notebook would run on broken data, or has failed: leave it out,
        # and say nothing of its nav entry (the problems say what to fix; this config is re-read
        # on the next rebuild).
        for file in [f for f in files if f.src_uri.endswith(".ipynb")]:
            files.remove(file)
        config.validation.nav.not_found = logging.DEBUG
        return files
    for src, folder in executed.items():
        # The page is made from the executed copy (same name, other folder); mkdocs-jupyter
        # only converts it (execute: false in mkdocs.yml).
        files.remove(files.get_file_from_path(src))
        files.append(File(src, str(folder), config["site_dir"], config["use_directory_urls"]))
    generated = {**project.generated_files(), **project.preview_cards(config["site_name"])}
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    if project.problems:
        return pipeline.problems_page(project.problems)
    rendered = project.render_page(markdown, page.url)
    preview = project.preview(page.file.src_uri, markdown, rendered)
    page.meta.setdefault("description", preview.get("description", config["site_description"]))
    page.meta["preview_image"] = preview["image"]
    return rendered


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
    if serving or not template_name.endswith(".html"):  # 404.html, not sitemap.xml
        return output
    from pages import csp

    return csp.add_policy(output)
