"""What a reviewer of a change sees besides the facts: which chart pictures differ from BASE.

sites.py builds both sides' sites, pictures.py finds and marks the pictures that differ, and
report.py writes them up (Markdown for the pull request, a folder with an HTML page and images).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .pictures import PictureChange, compare_sites
from .report import image_url_problem, markdown, report_dir_problem, write_report
from .sites import SiteBuildFailed, built_sites

__all__ = ["PictureChange", "SiteBuildFailed", "chart_changes", "markdown", "options_problem", "write_report"]


def chart_changes(root: Path, base: str, python: str = sys.executable) -> list[PictureChange]:
    """Every chart picture that differs between BASE's site and the working tree's, each built by
    its own code; SiteBuildFailed when either cannot be built."""
    def say(what: str) -> None:
        print(f"diff: {what}...", file=sys.stderr, flush=True)

    with built_sites(root, base, python, say) as (before, after):
        return compare_sites(before, after)


def options_problem(charts: bool, report_dir: Path | None, image_base_url: str | None) -> str | None:
    """What is wrong with diff's chart options, said as the command line names them, or None."""
    if not charts and (report_dir or image_base_url):
        return "--no-charts compares facts only; it takes no --report or --image-base-url"
    if image_base_url is not None and report_dir is None:
        return "--image-base-url says where the --report folder is published; give --report DIR too"
    if report_dir is not None and (refused := report_dir_problem(report_dir)):
        return f"--report {report_dir}: {refused}"
    if image_base_url is not None and (refused := image_url_problem(image_base_url)):
        return f"--image-base-url {image_base_url[:80]!r}: {refused}"
    return None
