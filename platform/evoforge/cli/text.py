"""Small text helpers for command output."""
from __future__ import annotations


def clip(text: str, limit: int) -> str:
    """`text` on one line (whitespace runs collapsed), cut to `limit` characters with '...'."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def run_hint(command: str, db: str | None, run_id: int) -> str:
    """`evoforge COMMAND RUN` with the --db it needs, printed as what to do next."""
    return f"evoforge {command} {run_id}" + (f" --db {db}" if db else "")


COLORS = {"red": 31, "green": 32, "yellow": 33}


def paint(text: str, color: str) -> str:
    """`text` in `color` on a terminal (not when piped, nor with NO_COLOR set): a few words of
    colour where loading rich would cost more start-up time than the command itself."""
    import os
    import sys

    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return text
    return f"\033[{COLORS[color]}m{text}\033[0m"
