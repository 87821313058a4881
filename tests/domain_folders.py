"""Writes small domain folders for the domain tests (imported as `domain_folders`)."""
from __future__ import annotations

import textwrap
from pathlib import Path

SPEC = '''
[contracts.reply]
description = "Any short text."
inputs = { question = "str" }
output = "str"
parse = "text"
require = ["len(question) <= 2000"]
ensure = [{ check = "len(result) <= 200", message = "at most 200 characters" }]
prompt = "{question}"
fallback = "'unknown'"
'''


def write_domain(root: Path, manifest: str, files: dict[str, str], name: str = "task", spec: str | None = SPEC) -> Path:
    """A folder `root/name` with `domain.toml` (from `manifest`), `files`, and `specs/reply.toml`."""
    folder = root / name
    (folder / "specs").mkdir(parents=True, exist_ok=True)
    (folder / "domain.toml").write_text(textwrap.dedent(manifest).lstrip(), encoding="utf-8")
    if spec is not None:
        (folder / "specs" / "reply.toml").write_text(spec, encoding="utf-8")
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def manifest(inputs: str, labels: str, evaluator: str, data: str = 'files = ["data.jsonl"]',
             splits: str = "ratio = { train = 0.5, validation = 0.25, test = 0.25 }") -> str:
    """domain.toml text for the usual layout; each argument is a table's body."""
    return (f'name = "task"\ndescription = "a test domain"\n\n[inputs]\n{inputs}\n\n[labels]\n{labels}\n\n'
            f"[data]\n{data}\n\n[splits]\n{splits}\n\n[evaluator]\n{evaluator}\n")


def jsonl(*rows: str) -> str:
    return "\n".join(rows) + "\n"
