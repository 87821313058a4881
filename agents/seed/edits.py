"""Edits as a coding model writes them, parsed robustly and applied with a reason for every
block that does not apply (the meta agent shows those reasons to the model, never drops them).

Two forms, as in Aider and the Darwin Gödel Machine's coding agent:

    FILE: task_agent.py
    <<<<<<< SEARCH
    INSTRUCTION = ""
    =======
    INSTRUCTION = "Answer with a number."
    >>>>>>> REPLACE

    FILE: task_agent.py
    ```python
    <the whole new file>
    ```

A missing FILE line means the file the request was about; markers may have 5 to 9 characters;
fences around a block and Windows line ends are tolerated; a SEARCH text that differs from the
file only in trailing spaces or indentation still matches when it matches one place only.
"""
import re
from dataclasses import dataclass, field

FILE_LINE = re.compile(r"^\s*(?:FILE|File|file|PATH|Path|path)\s*:\s*`?([\w./-]+\.\w+)`?\s*$")
SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\s*$")
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\s*$")
FENCE = re.compile(r"^\s*```")


@dataclass
class Block:
    path: str
    search: str | None  # None: `replace` is the whole new file
    replace: str
    number: int  # 1-based position in the reply, for messages


@dataclass
class Applied:
    files: dict
    changed: list = field(default_factory=list)  # paths whose text changed
    problems: list = field(default_factory=list)  # one line per block that did not apply


def parse_blocks(text, default_path):
    """The edit blocks of a reply, in order; text outside blocks is ignored."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks, path, index = [], default_path, 0
    while index < len(lines):
        line = lines[index]
        named = FILE_LINE.match(line)
        if named:
            path = named.group(1)
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if FENCE.match(following) and not _has_search(lines, index + 2):
                body, index = _until(lines, index + 2, FENCE)
                blocks.append(Block(path, None, "\n".join(body).rstrip("\n") + "\n", len(blocks) + 1))
            index += 1
            continue
        if SEARCH.match(line):
            search, index = _until(lines, index + 1, DIVIDER)
            replace, index = _until(lines, index + 1, REPLACE)
            blocks.append(Block(path, "\n".join(search), "\n".join(replace), len(blocks) + 1))
        index += 1
    return blocks


def _has_search(lines, start):
    """Whether a SEARCH marker comes before the fence that closes the one at `start`."""
    for line in lines[start:]:
        if SEARCH.match(line):
            return True
        if FENCE.match(line):
            return False
    return False


def _until(lines, start, marker):
    """The lines from `start` up to the next line matching `marker`, and that line's index."""
    for index in range(start, len(lines)):
        if marker.match(lines[index]):
            return lines[start:index], index
    return lines[start:], len(lines)


def apply_blocks(files, blocks, editable):
    """`files` with `blocks` applied in order; a block that cannot apply is skipped and said why.
    `editable(path)` says which paths may be written."""
    result = Applied(dict(files))
    for block in blocks:
        where = f"block {block.number} ({block.path})"
        if not editable(block.path):
            result.problems.append(f"{where}: this file may not be edited")
            continue
        if block.search is None:
            new_text = block.replace
        elif block.path not in result.files:
            result.problems.append(f"{where}: there is no file {block.path}; use a whole-file block to create one")
            continue
        else:
            new_text, problem = replace_once(result.files[block.path], block.search, block.replace)
            if problem:
                result.problems.append(f"{where}: {problem}")
                continue
        problem = syntax_problem(block.path, new_text)
        if problem:
            result.problems.append(f"{where}: the file would not parse: {problem}")
            continue
        if new_text != result.files.get(block.path):
            result.files[block.path] = new_text
            result.changed.append(block.path)
    return result


def replace_once(text, search, replace):
    """(new text, None), or (text, why not): the SEARCH text must occur exactly once."""
    if not search.strip():
        return text, "the SEARCH part is empty"
    count = text.count(search)
    at = text.find(search)
    if count == 1 and (at == 0 or text[at - 1] == "\n"):  # whole lines, as written
        return text.replace(search, replace), None
    if count > 1:
        return text, f"the SEARCH text occurs {count} times; add lines around it so it occurs once"
    loose = _loose_match(text, search)
    if loose is None:
        first = next((line.strip() for line in search.split("\n") if line.strip()), "")
        return text, f"the SEARCH text is not in the file (its first line {first[:80]!r} is not there as written)"
    start, end, indent = loose
    lines = text.split("\n")
    replaced = [indent + line if line.strip() else line for line in _dedent(replace.split("\n"))]
    return "\n".join(lines[:start] + replaced + lines[end:]), None


def _loose_match(text, search):
    """(first line, end line, indentation) where `search` matches ignoring indentation and
    trailing spaces, when it matches exactly one place."""
    wanted = [line.strip() for line in search.strip("\n").split("\n")]
    lines = text.split("\n")
    found = [start for start in range(len(lines) - len(wanted) + 1)
             if [line.strip() for line in lines[start:start + len(wanted)]] == wanted]
    if len(found) != 1:
        return None
    start = found[0]
    first = lines[start]
    return start, start + len(wanted), first[:len(first) - len(first.lstrip())]


def _dedent(lines):
    margins = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    margin = min(margins) if margins else 0
    return [line[margin:] for line in lines]


def syntax_problem(path, text):
    if not path.endswith(".py"):
        return None
    try:
        compile(text, path, "exec")
    except SyntaxError as error:
        return f"line {error.lineno}: {error.msg}"
    return None
