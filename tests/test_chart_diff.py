"""`python build.py diff BASE` finds the chart pictures that differ from BASE, each side built by its
own code, on real git history; and the parts it is made of, on pictures made here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from charts import CHARTS
from charts.layout import VARIANTS, chart_files
from conftest import ROOT, copy_project
from review.pictures import HIGHLIGHT, Picture, PictureUnreadable, compare_sites, marked, normalised, picture_at
from review.report import REPORT_MARK, markdown, write_report
from review.sites import SiteBuildFailed, _build
from sites import files, real_site, warm_cache

# The fact the end-to-end test edits: a number every chart showing it draws or labels.
FACT, OLD, NEW = "uk-quota-kg-2024", "    value: 8000\n", "    value: 8100\n"
IMAGE_URL = "https://example.org/pr-preview/pr-7/chart-diff"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> dict[str, str]:
    """One cache for every build in this file, a copy of the project's once the run's real-site build
    has filled it (tests/sites.py): entries are named by what they were drawn from, so what the working
    tree already drew is reused, and the project's own cache is only read, never pruned by these builds."""
    return {**os.environ, "BUILD_CACHE_DIR": str(warm_cache(tmp_path_factory.mktemp("cache") / "build"))}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = copy_project(tmp_path_factory.mktemp("history") / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def diff(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "diff", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


def sections(markdown_text: str) -> list[str]:
    return re.findall(r"^## (.+?) since ", markdown_text, re.MULTILINE)


def test_nothing_changed_exits_zero_with_no_chart_section_and_no_images(repo, cache, tmp_path):
    report = tmp_path / "report"
    result = diff(repo, cache, "HEAD", "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sections(result.stdout) == ["Fact changes"]
    assert "No fact, event, source, annotation or scrolled sequence changed." in result.stdout
    assert "No chart picture changed." in (report / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in report.iterdir()) == sorted([REPORT_MARK, "index.html"])


def test_a_one_fact_change_reports_exactly_the_charts_that_show_it_with_images(repo, cache, tmp_path):
    # What the registry says shows the fact: the drawn facts and those the caption names.
    expected = {chart.id for chart in CHARTS.values() if FACT in chart.fact_ids()}
    assert expected and set(CHARTS) - expected, "the fact should be shown by some charts and not by others"
    data = repo / "data" / "destinations.yaml"
    text = data.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    data.write_text(text.replace(OLD, NEW), encoding="utf-8")
    git(repo, "commit", "-qam", "one fact")
    report = tmp_path / "report"

    result = diff(repo, cache, "HEAD~1", "--report", str(report), "--image-base-url", IMAGE_URL)

    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert sections(out) == ["Charts that changed", "Fact changes"]   # the charts first
    charts_part, facts_part = out.split("## Fact changes since ")
    assert set(re.findall(r"^### `([^`]+)`$", charts_part, re.MULTILINE)) == expected
    assert f"### Changed fact: `{FACT}`" in facts_part and "| value | 8,000 | 8,100 |" in facts_part

    html = (report / "index.html").read_text(encoding="utf-8")
    assert "://" not in html, "the report page asks nothing of another host"
    for chart in expected:
        block = charts_part.split(f"### `{chart}`")[1].split("###")[0]
        rows = [line for line in block.splitlines() if line.startswith("| ") and "---" not in line][1:]
        # Every drawing of the chart shows the number, in its marks or at least in its labels.
        assert [row.split(" | ")[0] for row in rows] == [f"| {v.scheme}, {v.width}" for v in VARIANTS]
        for variant, row in zip(VARIANTS, rows, strict=True):
            images = dict(re.findall(r"!\[(\w+)\]\(([^)]+)\)", row))
            assert list(images) == ["before", "after", "difference"]
            for url in images.values():
                assert url.startswith(IMAGE_URL + "/")
                relative = url.removeprefix(IMAGE_URL + "/")
                with Image.open(report / relative) as image:
                    assert image.width == variant.pixels, (url, image.size)
                assert f'src="{relative}"' in html
            if variant.width == "wide":   # the wide drawings print the figure: pixels change there
                assert re.search(r"\| [1-9][\d,]* of [\d,]+ pixels", row), row
                with Image.open(report / images["difference"].removeprefix(IMAGE_URL + "/")) as difference:
                    assert _highlighted(difference.convert("RGBA")) > 0
        assert chart_files(chart)[f"svg-{VARIANTS[0].name}"] in html


def _highlighted(image: Image.Image) -> int:
    """Pixels tinted with the highlight (magenta): much more red and blue in them than green.
    Every other pixel of a difference image is grey."""
    assert HIGHLIGHT[0] > HIGHLIGHT[1] + 60 and HIGHLIGHT[2] > HIGHLIGHT[1] + 60
    return sum(1 for r, g, b, _ in image.get_flattened_data() if r > g + 40 and b > g + 40)


@pytest.mark.parametrize(("args", "said"), [
    (["--image-base-url", IMAGE_URL], "give --report DIR too"),
    (["--report", "{tmp}/r", "--image-base-url", "javascript:alert(1)"], "expected an http:// or https:// address"),
    (["--report", "{tmp}/r", "--image-base-url", "https://example.org/a b"], "has a space"),
    (["--no-charts", "--report", "{tmp}/r"], "--no-charts compares facts only"),
    (["--report", "{tmp}/theirs"], "did not write"),
], ids=["url-without-report", "not-http", "space", "no-charts-with-report", "foreign-folder"])
def test_bad_chart_options_are_refused_before_anything_is_built(repo, cache, tmp_path, args, said):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me", encoding="utf-8")
    result = diff(repo, cache, "HEAD", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and said in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and not (tmp_path / "r").exists()
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_chart_options_go_with_diff_only(repo, cache, tmp_path):
    result = subprocess.run([sys.executable, "build.py", "--check", "--report", str(tmp_path / "r")], cwd=repo,
                            env=cache, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "go with diff only" in result.stderr, result.stderr


def test_a_base_folder_without_the_project_code_cannot_be_drawn(repo, cache):
    """A data/ folder is a base for the facts, not for the charts: an error, never "changed"."""
    result = diff(repo, cache, str(repo / "data"))
    assert result.returncode == 2 and "has no build.py" in result.stderr and "--no-charts" in result.stderr
    assert diff(repo, cache, str(repo / "data"), "--no-charts").returncode == 0


def test_charts_writes_the_chart_files_the_site_has_and_nothing_else(cache, tmp_path):
    """What diff compares (``build.py charts DIR``), of the project itself: every file it writes is
    in the run's build of the real site, byte for byte, and every chart picture of either edition."""
    out = tmp_path / "charts"
    result = subprocess.run([sys.executable, "build.py", "charts", str(out)], cwd=ROOT, env=cache,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    written, site = files(out), files(real_site())
    assert [path for path in written if written[path] != site.get(path)] == []
    pictures = {path for path in site if picture_at(path)}
    assert {path for path in written if picture_at(path)} == pictures
    assert any(path.startswith("ru/") for path in pictures), "the Russian edition's pictures too"
    assert not [path for path in written if path.endswith(".html")], "no page"


def test_charts_writes_only_into_an_absent_or_empty_folder(repo, cache, tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me", encoding="utf-8")
    for args, said in ((["charts", str(theirs)], "is not empty"), (["charts"], "takes the folder"),
                       (["charts", str(tmp_path / "new"), "--check"], "no --check")):
        result = subprocess.run([sys.executable, "build.py", *args], cwd=repo, env=cache,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and said in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert [p.name for p in theirs.iterdir()] == ["notes.txt"] and not (tmp_path / "new").exists()


# A build.py from before `charts`, as argparse answers for it; a whole site holds the same files.
OLD_BUILD = """import argparse, pathlib
parser = argparse.ArgumentParser()
parser.add_argument("command", nargs="?", choices=["build", "diff"], default="build")
parser.add_argument("base", nargs="?")
parser.add_argument("--site-dir", type=pathlib.Path)
args = parser.parse_args()
(args.site_dir / "charts").mkdir(parents=True)
(args.site_dir / "charts" / "a.svg").write_text("<svg/>")
"""


def test_a_base_from_before_the_charts_command_gets_its_whole_site_built(tmp_path):
    (tmp_path / "build.py").write_text(OLD_BUILD, encoding="utf-8")
    site = _build(tmp_path, tmp_path / "site", sys.executable, dict(os.environ), "an old base")
    assert (site / "charts" / "a.svg").read_text(encoding="utf-8") == "<svg/>"
    # Any other failure of `charts` is the failure, not a reason to build the whole site.
    (tmp_path / "build.py").write_text("import sys\nsys.exit('no data/ here')\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match=r"charts of an old base failed \(exit status 1\):\nno data/ here"):
        _build(tmp_path, tmp_path / "other", sys.executable, dict(os.environ), "an old base")


# The parts, on pictures made here.

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" viewBox="0 0 20 10">'
       '<defs><clipPath id="{clip}"><rect width="20" height="10"/></clipPath></defs>'
       '<rect width="20" height="10" fill="#ffffff"/>'
       '<g clip-path="url(#{clip})"><rect x="{x}" y="2" width="4" height="4" fill="#000000" '
       'shape-rendering="crispEdges" aria-label="{label}"/></g></svg>')


def svg(x: float = 2, clip: str = "clip1", label: str = "8,000") -> str:
    return SVG.format(x=x, clip=clip, label=label)


def test_what_never_shows_is_not_a_change():
    same = normalised(svg())
    assert normalised(svg(clip="chart-light-wide-7")) == same                       # a generated id
    assert normalised(svg().replace("><", ">\n  <")) == same                       # spacing between tags
    assert normalised(svg(x=2.000000001)) == same                                  # float noise
    assert normalised(svg().replace('width="4" height="4"', 'height="4" width="4"')) == same  # attribute order
    assert normalised(svg(x=3)) != same
    assert normalised(svg(label="8,100")) != same    # a label a screen reader reads is a change


def test_changed_pixels_are_counted_and_marked():
    import vl_convert

    before, after = (vl_convert.svg_to_png(text, scale=1) for text in (svg(x=2), svg(x=12)))
    difference, changed, pixels = marked(before, after)
    assert (changed, pixels) == (2 * 4 * 4, 20 * 10)    # the square left one place and appeared at another
    with Image.open(BytesIO(difference)) as image:
        assert image.size == (20, 10) and _highlighted(image.convert("RGBA")) >= changed
    assert marked(before, before)[1] == 0


def test_pictures_are_read_back_from_the_layouts_file_names():
    for variant in VARIANTS:
        path = chart_files("a-chart")[f"svg-{variant.name}"]
        assert picture_at(path) == Picture(path, "a-chart", variant)
    for kind in ("svg", "png", "spec", "csv"):
        assert picture_at(chart_files("a-chart")[kind]) is None
    russian = "ru/" + chart_files("a-chart")[f"svg-{VARIANTS[0].name}"]
    assert picture_at(russian) == Picture(russian, "ru/a-chart", VARIANTS[0]), "the Russian edition's, apart"


def _site(folder: Path, pictures: dict[str, str]) -> Path:
    for chart, text in pictures.items():
        path = folder / chart_files(chart)[f"svg-{VARIANTS[0].name}"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_added_removed_and_changed_charts_are_found(tmp_path):
    before = _site(tmp_path / "before", {"kept": svg(), "moved": svg(), "gone": svg()})
    after = _site(tmp_path / "after", {"kept": svg(clip="other-id"), "moved": svg(x=12), "new": svg()})
    found = [(c.picture.chart, c.status) for c in compare_sites(before, after)]
    assert found == [("gone", "removed"), ("moved", "changed"), ("new", "added")]


def test_a_picture_that_cannot_be_drawn_is_an_error_naming_it(tmp_path):
    before = _site(tmp_path / "before", {"x": svg()})
    after = _site(tmp_path / "after", {"x": "<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>"})
    path = chart_files("x")[f"svg-{VARIANTS[0].name}"]
    with pytest.raises(PictureUnreadable, match=rf"^{re.escape(path)} cannot be drawn \(.+\)"):
        compare_sites(before, after)


def test_the_report_escapes_what_it_shows_and_replaces_only_its_own_folder(tmp_path):
    hostile = "<script>alert(1)</script>"
    before = _site(tmp_path / "before", {"x": svg()})
    after = _site(tmp_path / "after", {"x": svg(x=12)})
    (change,) = compare_sites(before, after)
    odd = type(change)(Picture(change.picture.path, hostile, change.picture.variant), *[
        getattr(change, name) for name in ("status", "before", "after", "difference", "changed_pixels", "pixels")])
    report = tmp_path / "report"
    write_report([odd], report, 'main"><img src=x onerror=alert(1)>')
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img src=x" not in html
    assert f"`{hostile}`" in markdown([odd], "main")     # inline code in Markdown shows it as text
    write_report([], report, "main")                       # its own folder: replaced whole
    assert not (report / "images").exists()
