"""The chart changes written up: a Markdown section for the pull request, and a folder a reviewer
opens (index.html with the before, after and difference images of each changed picture)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from .pictures import PictureChange

# Written into every report folder. A folder holding it may be replaced by the next report; any
# other non-empty folder never is, so a mistyped --report cannot delete anything.
REPORT_MARK = ".chart-diff-report"
REPORT_TEXT = "Written by build.py diff --report; the next report replaces this folder whole.\n"
IMAGES = "images"
SIDES = ("before", "after", "difference")


def report_dir_problem(folder: Path) -> str | None:
    """Why a report may not be written into ``folder``, or None: it must be absent, empty, or a
    report written before (it holds REPORT_MARK)."""
    if folder.is_symlink():
        return "is a symbolic link; give the real folder"
    if not folder.exists():
        return None
    if not folder.is_dir():
        return "exists and is not a folder"
    if (folder / REPORT_MARK).is_file() or not any(folder.iterdir()):
        return None
    return (f"is a folder this command did not write (it has no {REPORT_MARK}) and it is not empty; "
            "the report would replace it whole, so give an empty or new folder")


_UNSAFE_IN_URL = re.compile(r"[\s\"'<>()\[\]`\\]")


def image_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be where the report's images are published, or None."""
    if not re.match(r"https?://[^/\s]+", url):
        return "expected an http:// or https:// address, such as https://example.org/pr-preview/pr-1/chart-diff"
    if _UNSAFE_IN_URL.search(url):
        return "has a space, a quote, a bracket or a backslash; expected an address as a browser shows it"
    return None


def image_paths(change: PictureChange) -> dict[str, str]:
    """Where each image of a changed picture is in the report folder, by side; only those it has."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", change.picture.path.removesuffix(".svg").replace("/", "."))
    pngs = {"before": change.before, "after": change.after, "difference": change.difference}
    return {side: f"{IMAGES}/{stem}.{side}.png" for side in SIDES if pngs[side] is not None}


def variant_name(change: PictureChange) -> str:
    return f"{change.picture.variant.scheme}, {change.picture.variant.width}"


def what_changed(change: PictureChange) -> str:
    if change.status == "added":
        return "new picture"
    if change.status == "removed":
        return "picture removed"
    if not change.changed_pixels:
        return "no pixel: only labels read by screen readers, or detail under a pixel"
    share = change.changed_pixels / change.pixels
    return f"{change.changed_pixels:,} of {change.pixels:,} pixels ({share:.2%})"


def _by_chart(changes: list[PictureChange]) -> dict[str, list[PictureChange]]:
    charts: dict[str, list[PictureChange]] = {}
    for change in changes:
        charts.setdefault(change.picture.chart, []).append(change)
    return charts


def _code(text: str) -> str:
    """Markdown inline code that holds any text: no backtick or line break can end it early."""
    return "`" + text.replace("`", "'").replace("\n", " ") + "`"


def markdown(changes: list[PictureChange], base: str, image_base_url: str | None = None) -> str:
    """The section that leads the pull request's report; empty when no chart picture changed.
    With ``image_base_url`` (where the report folder is published) each row shows its images."""
    if not changes:
        return ""
    charts = _by_chart(changes)
    lines = [f"## Charts that changed since {_code(base)}", "",
             f"{len(charts)} chart{'s' if len(charts) != 1 else ''}, {len(changes)} "
             f"picture{'s' if len(changes) != 1 else ''}: {', '.join(_code(c) for c in charts)}.", ""]
    columns = ["picture", "what changed", *(SIDES if image_base_url else ())]
    for chart, pictures in charts.items():
        lines += [f"### {_code(chart)}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for change in pictures:
            row = f"| {variant_name(change)} | {what_changed(change)} |"
            if image_base_url:
                paths = image_paths(change)
                row += "".join(f" ![{side}]({image_base_url.rstrip('/')}/{quote(paths[side])}) |" if side in paths
                               else " — |" for side in SIDES)
            lines.append(row)
        lines.append("")
    return "\n".join(lines) + "\n"


def write_report(changes: list[PictureChange], folder: Path, base: str) -> None:
    """index.html and the PNGs it shows, in ``folder`` (checked with report_dir_problem first),
    replacing a report written there before. The page asks nothing of any other host."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if changes:
        (folder / IMAGES).mkdir()
    for change in changes:
        pngs = {"before": change.before, "after": change.after, "difference": change.difference}
        for side, path in image_paths(change).items():
            (folder / path).write_bytes(pngs[side])
    (folder / "index.html").write_text(_page(changes, base), encoding="utf-8")
    (folder / REPORT_MARK).write_text(REPORT_TEXT, encoding="utf-8")


_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1f2328; }
code { font-size: 0.95em; }
.sides { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.sides figure { margin: 0; flex: 1 1 20rem; }
.sides img { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
figcaption { font-weight: 600; }
.none { color: #59636e; font-style: italic; }
.key { background: #d6008c; color: #fff; padding: 0 0.3em; }
"""


def _page(changes: list[PictureChange], base: str) -> str:
    e = html.escape
    title = f"Charts that changed since {base}"
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>",
             f"<h1>Charts that changed since <code>{e(base)}</code></h1>"]
    if not changes:
        parts.append("<p>No chart picture changed.</p>")
    else:
        charts = _by_chart(changes)
        parts.append(f"<p>{len(charts)} chart{'s' if len(charts) != 1 else ''}, {len(changes)} "
                     f"picture{'s' if len(changes) != 1 else ''}. In each difference, the pixels that changed "
                     'are <span class="key">tinted</span> on a faded copy of the new picture.</p>')
        for chart, pictures in charts.items():
            anchor = e(f"chart-{chart}")
            parts.append(f'<section aria-labelledby="{anchor}"><h2 id="{anchor}"><code>{e(chart)}</code></h2>')
            for change in pictures:
                paths = image_paths(change)
                parts.append(f"<h3>{e(variant_name(change))}: {e(what_changed(change))}</h3>")
                parts.append(f"<p>File: <code>{e(change.picture.path)}</code></p>")
                parts.append('<div class="sides">')
                for side in SIDES:
                    if side in paths:
                        image = (f'<a href="{e(quote(paths[side]))}"><img src="{e(quote(paths[side]))}" '
                                 f'alt="{e(side)}: {e(chart)}, {e(variant_name(change))}" loading="lazy"></a>')
                    else:
                        image = f'<p class="none">{"none" if side != "difference" else "nothing to compare"}</p>'
                    parts.append(f"<figure><figcaption>{e(side.capitalize())}</figcaption>{image}</figure>")
                parts.append("</div>")
            parts.append("</section>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
