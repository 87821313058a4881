"""Source-to-source mutation moves on agent programs (used by the offline proposer).

Each move returns a new program text or None when it does not apply; none of them judges
correctness, which is the verifier's job.
"""
from __future__ import annotations

import ast
from typing import Any

from evoforge.synthesis.language.parser import ENTRY

# Generic prompt variants for a learnable `_prefix`: instructions about form, never answers.
PROMPT_VARIANTS = (
    "",
    "Answer with JSON only.",
    "Think step by step, then give only the JSON answer.",
    "Check your working once before answering.",
)


def narrow_param(source: str, name: str, value: Any) -> list[str]:
    """Programs whose bounds for `name` exclude the counterexample's `value`: one keeping the
    values above it, one keeping those below (which side is safe is for the verifier to say).

    An int bound moves just past the value; a real bound moves halfway to the far bound,
    since a closed interval cannot drop a single point.
    """
    module = ast.parse(source)
    node = next((n for n in module.body if _declares(n, name)), None)
    if node is None or node.value.func.id not in ("param_int", "param_real"):  # type: ignore[union-attr]
        return []
    call: ast.Call = node.value  # type: ignore[assignment]
    is_int = call.func.id == "param_int"  # type: ignore[attr-defined]
    low, high = (ast.literal_eval(a) for a in call.args)
    default = next((ast.literal_eval(k.value) for k in call.keywords if k.arg == "default"), None)
    above = (value + 1 if is_int else (value + high) / 2, high)
    below = (low, value - 1 if is_int else (low + value) / 2)
    found = []
    for new_low, new_high in (above, below):
        if new_low > new_high or (new_low, new_high) == (low, high):
            continue
        call.args = [ast.Constant(new_low), ast.Constant(new_high)]
        keep = default is not None and new_low <= default <= new_high
        call.keywords = [ast.keyword("default", ast.Constant(default))] if keep else []
        found.append(ast.unparse(module) + "\n")
    return found


def add_prompt_variants(source: str) -> str | None:
    """Give every guarded call a learnable `_prefix` (a prompt-variant parameter), if none has one."""
    module = ast.parse(source)
    entry = next((n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == ENTRY), None)
    if entry is None or any(_declares(n, "style") for n in module.body):
        return None
    calls = [n for n in ast.walk(entry) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "call"]
    if not calls or any(k.arg == "_prefix" for c in calls for k in c.keywords):
        return None
    for call in calls:
        call.keywords.append(ast.keyword("_prefix", ast.Name("style", ast.Load())))
    declaration = ast.parse(f"style = param_choice({', '.join(map(repr, PROMPT_VARIANTS))})").body[0]
    module.body.insert(module.body.index(entry), declaration)
    return ast.unparse(module) + "\n"


def _declares(node: ast.stmt, name: str) -> bool:
    return (
        isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == name and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
    )
