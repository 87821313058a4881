"""Paths written as pathlib writes them, without importing pathlib where there is nothing to
tidy: `specs check` and `evoforge runs` print and open the paths a user gave, and importing
pathlib would cost them a tenth of their start-up time."""
from __future__ import annotations

import os


def as_pathlib(text: str) -> str:
    """`str(Path(text))`."""
    if os.name == "posix" and os.path.normpath(text) == text:
        return text  # no "." parts, doubled or trailing slashes, nor ".." to keep: pathlib writes it as is
    from pathlib import Path

    return str(Path(text))


def as_absolute(text: str) -> str:
    """`str(Path(text).expanduser().absolute())`."""
    if text.startswith("~"):
        from pathlib import Path

        return str(Path(text).expanduser().absolute())
    tidy = as_pathlib(text)
    if os.path.isabs(tidy):
        return tidy
    return os.getcwd() if tidy == "." else os.path.join(os.getcwd(), tidy)
