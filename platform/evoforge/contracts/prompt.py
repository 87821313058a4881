"""Prompt templates: `{name}` and `{name.field}` placeholders filled from a call's inputs.

Deliberately not `str.format`, which would let a template reach object attributes.
`{{` and `}}` stand for literal braces (handy for JSON examples in a prompt).
"""
from __future__ import annotations

import json
import re
from typing import Any

from evoforge.contracts.types import to_plain

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


def placeholders(template: str) -> list[str]:
    """The dotted names a template refers to, in order."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)]


def render(template: str, inputs: dict[str, Any]) -> str:
    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        value: Any = inputs
        for part in match.group(1).split("."):
            value = value[part]
        return value if isinstance(value, str) else json.dumps(to_plain(value))

    return _PLACEHOLDER.sub(substitute, template)
