"""What is wrong with a domain folder: one problem per line, naming the place and the fix.

Loading a folder collects every problem instead of stopping at the first, so
`evoforge domains check` can list them all; a run refuses a folder that has any.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evoforge.errors import EvoforgeError


@dataclass(frozen=True)
class DomainProblem:
    """One problem: where (file, line, field), what is wrong, and what to do about it."""

    file: Path
    line: int | None
    message: str
    fix: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}; {self.fix}"


class DomainFolderError(EvoforgeError):
    """A domain folder that cannot be used, with every problem found in it."""

    def __init__(self, folder: Path, problems: list[DomainProblem]):
        self.folder, self.problems = folder, problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"domain folder {folder} cannot be used: {problems[0]}{more}; "
                         f"`evoforge domains check {folder}` lists every problem")


def describe(error: BaseException) -> str:
    """`Type: message` on one line, for problem reports."""
    return " ".join(f"{type(error).__name__}: {error}".split())[:300]
