"""Finds line numbers in a TOML spec file, so every spec error can point at its line.

`tomllib` returns plain data without positions; this index recovers them from the text.
"""
from __future__ import annotations

import re


class SourceIndex:
    def __init__(self, text: str):
        self.lines = text.splitlines()

    def table_line(self, *path: str) -> int:
        """The 1-based line of a `[a.b]` (or `[[a.b]]`) header, or 1 if not found."""
        parts = r"\s*\.\s*".join(rf"\"?{re.escape(p)}\"?" for p in path)
        pattern = re.compile(rf"^\s*\[\[?\s*{parts}\s*\]\]?\s*(#.*)?$")
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return number
        return 1

    def key_line(self, table_line: int, key: str) -> int:
        """The line where `key = ...` appears in the table starting at `table_line`."""
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for number in range(table_line, len(self.lines) + 1):
            line = self.lines[number - 1]
            if number > table_line and line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return table_line

    def text_line(self, start_line: int, text: str) -> int:
        """The first line at or after `start_line` holding the first line of `text`."""
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if first:
            for number in range(start_line, len(self.lines) + 1):
                if first in self.lines[number - 1]:
                    return number
        return start_line
