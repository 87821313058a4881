"""A TOML syntax error said in one line a person can act on: where it is and, for the common
mistakes, how to fix it. `tomllib` says what it met ("Invalid initial character for a key
part"), not what the writer meant; most such errors come from habits of other formats (an
inline table written over several lines as in Python, `True`, `key: value`), each named here
with its fix."""
from __future__ import annotations

import re

POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
INLINE_TABLE = ("an inline table { ... } is one line of `key = value` items separated by commas, with no comma "
                "after the last: write it so, or use a [section] table instead (an [[array]] of tables for a list of them)")
BARE_WORDS = {"True": "booleans are lowercase: true or false", "False": "booleans are lowercase: true or false",
              "None": "TOML has no null: leave the key out", "null": "TOML has no null: leave the key out"}
HINTS = (  # (how tomllib's message starts, what to do)
    ("Illegal character '\\n'", 'a "string" ends on its line: use """triple quotes""" for text over several lines'),
    ("Unescaped '\\'", "write \\\\ for a backslash in a \"string\", or use a 'literal string'"),
    ("Expected '=' after a key", "TOML writes key = value"),
    ("Cannot declare", "each [table] may appear once in a file: merge the two"),
    ("Cannot overwrite a value", "each key may appear once in a table: remove or rename one of them"),
)


def syntax_error(text: str, message: str) -> tuple[int | None, str, str | None]:
    """(line, "TOML syntax error: WHAT (column N)", what to do or None) for tomllib's error
    `message` about `text`; the line is None when tomllib names none (an error at the end)."""
    position = POSITION.search(message)
    what = message[:position.start()] if position else message
    line = int(position.group(1)) if position and position.group(1) else None
    column = int(position.group(2)) if position and position.group(2) else None
    lines = text.splitlines()
    source = lines[line - 1] if line and line <= len(lines) else ""
    return line, f"TOML syntax error: {what}" + (f" (column {column})" if column else ""), _hint(what, source, column)


def one_line(text: str, message: str) -> tuple[int | None, str]:
    """`syntax_error` as (line, "TOML syntax error: WHAT (column N); WHAT TO DO")."""
    line, what, fix = syntax_error(text, message)
    return line, what + (f"; {fix}" if fix else "")


def _hint(what: str, source: str, column: int | None) -> str | None:
    for start, hint in HINTS:
        if what.startswith(start):
            return hint
    at = source[column - 1:] if column else ""
    word = re.match(r"[A-Za-z_]\w*", at)
    if what == "Invalid value" and word:
        return BARE_WORDS.get(word.group(), 'a string needs quotes: "..."')
    inside_table = column is not None and _open_braces(source[:column - 1]) > 0
    if what.startswith("Unclosed inline table") or (inside_table and what.startswith("Invalid initial character for a key")):
        return INLINE_TABLE
    return None


def _open_braces(text: str) -> int:
    """How many `{` of `text` (one line) are still open at its end, strings and comments aside."""
    depth, quote, index = 0, "", 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1  # an escaped character, maybe a quote
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "{}":
            depth += 1 if char == "{" else -1
        index += 1
    return depth
