"""Kernel predicates: trusted Python functions that contracts may name.

At run time the checker calls the function. In proofs Z3 treats a predicate as an
uninterpreted function, except where every argument is a constant: then the kernel computes
the true value and hands Z3 that fact, which is what lets a constant fallback (say, a small
valid program) be proven to satisfy `parses_python(result)`.

A predicate must be total (never raise), deterministic and free of side effects.
"""
from __future__ import annotations

import ast
import json
import keyword
from dataclasses import dataclass
from typing import Any, Callable

from evoforge.contracts.types import STR, Type


@dataclass(frozen=True)
class KernelPredicate:
    name: str
    arg_types: tuple[Type, ...]
    function: Callable[..., bool]
    doc: str


PREDICATES: dict[str, KernelPredicate] = {}


def kernel_predicate(*arg_types: Type) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Register a function as a kernel predicate under its own name."""

    def register(function: Callable[..., bool]) -> Callable[..., bool]:
        def total(*args: Any) -> bool:
            try:
                return bool(function(*args))
            except (ValueError, TypeError, RecursionError, MemoryError, SyntaxError):
                return False

        PREDICATES[function.__name__] = KernelPredicate(
            function.__name__, arg_types, total, (function.__doc__ or "").strip()
        )
        return function

    return register


def _parse_python(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@kernel_predicate(STR)
def parses_python(text: str) -> bool:
    """The text is a syntactically valid Python module (it is parsed, never run)."""
    return _parse_python(text) is not None


@kernel_predicate(STR, STR)
def defines_function(code: str, name: str) -> bool:
    """The code parses and defines a top-level function with this name."""
    module = _parse_python(code)
    return module is not None and any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name for node in module.body
    )


@kernel_predicate(STR)
def is_identifier(text: str) -> bool:
    """The text is a Python identifier that is not a keyword."""
    return text.isidentifier() and not keyword.iskeyword(text)


@kernel_predicate(STR)
def is_json(text: str) -> bool:
    """The text is one valid JSON document."""
    json.loads(text)
    return True


@kernel_predicate(STR)
def is_relative_path(text: str) -> bool:
    """A relative POSIX path that stays inside its folder: no leading '/', no '..' part, not empty."""
    parts = text.split("/")
    return bool(text) and not text.startswith("/") and "\\" not in text and all(p not in ("", ".", "..") for p in parts)
