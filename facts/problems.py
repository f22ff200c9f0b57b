"""Problems found in the project's inputs, reported all at once with a place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        # A setting ("$BUILD_CACHE_DIR") has no lines; a file does.
        where = self.file if self.file.startswith("$") else f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ProblemsFound(Exception):
    """Raised with every problem of a run, so a maintainer fixes them in one go."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def __reduce__(self):
        # So it crosses from a worker process (charts drawn in parallel) with its problems intact.
        return (type(self), (self.problems,), self.__dict__)

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.")
        return "\n".join(lines)


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of ``text[index]``: where a problem is shown to stand."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def display_path(path: Path, root: Path) -> str:
    """The path relative to the project; a link is named as itself, not as what it points to."""
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
