"""Which files under data/ and docs/ the build may read: regular files and folders, inside the project.

A symbolic link could publish a file from anywhere on the machine, or point at a device or
a pipe that hangs the build; a folder named like a page or a fact file is a mistake. Each is
refused with ``file: what is wrong`` before anything is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import Problem, display_path


def walk(folder: Path, root: Path, suffixes: tuple[str, ...] = ()) -> tuple[list[Path], list[Problem]]:
    """Every regular file under ``folder`` (sorted), and a problem for anything else in it: links,
    special files, and folders named like the ``suffixes`` the build reads (``docs/x.md/``)."""
    if folder.is_symlink() or not folder.is_dir():
        what = "is a symbolic link" if folder.is_symlink() else "is missing or not a folder"
        return [], [Problem(display_path(folder, root), 1, 1, "", f"{what}; expected the project's own folder")]
    files, problems = [], []
    for current, dirs, names in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in sorted(dirs):
            path = here / name
            if path.is_symlink():
                problems.append(_problem(path, root, "is a symbolic link to a folder"))
            elif path.suffix in suffixes:
                problems.append(Problem(display_path(path, root), 1, 1, "",
                                        f"is a folder named like a {path.suffix} file; rename it"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                problems.append(_problem(path, root, "is a symbolic link"))
            elif not stat.S_ISREG(mode):
                problems.append(_problem(path, root, "is not a regular file (a device, pipe or socket)"))
            else:
                files.append(path)
    return sorted(files), problems


def _problem(path: Path, root: Path, what: str) -> Problem:
    return Problem(display_path(path, root), 1, 1, "",
                   f"{what}; the build reads only plain files inside the project: put the file itself here")
