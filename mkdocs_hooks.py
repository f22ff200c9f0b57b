"""MkDocs glue: hands every build (and every `mkdocs serve` rebuild) to pipeline.Project.

Nothing here decides anything; it only connects MkDocs events to the pipeline,
so `python build.py`, `mkdocs build` and `mkdocs serve` share one code path.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from facts.problems import ProblemsFound  # noqa: E402
from pipeline import Project  # noqa: E402

project = Project()


def on_config(config):
    try:
        project.check()
    except ProblemsFound as found:
        raise PluginError("\n" + found.report()) from None
    project.render_charts()
    return config


def on_files(files, config):
    generated = {**project.generated_files(), **project.preview_cards(config["site_name"])}
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    rendered = project.render_page(markdown, page.url)
    preview = project.preview(page.file.src_uri, markdown, rendered)
    page.meta.setdefault("description", preview.get("description", config["site_description"]))
    page.meta["preview_image"] = preview["image"]
    return rendered
