"""The typed intermediate form of a constraint expression.

`expressions.py` builds it from Python's `ast` (checking names and types); `to_z3.py` and
`to_python.py` compile the same tree, which is what keeps proofs and run-time checks in step.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from evoforge.contracts.types import Type


@dataclass(frozen=True)
class Node:
    type: Type


@dataclass(frozen=True)
class Const(Node):
    value: Any  # int, Fraction, bool or str


@dataclass(frozen=True)
class Var(Node):
    name: str


@dataclass(frozen=True)
class Field(Node):
    record: Node
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "neg" | "not"
    operand: Node


# Binary operators: arithmetic ("add", "sub", "mul", "div", "floordiv", "mod"), string "concat",
# logic ("and", "or", "implies") and comparisons ("eq", "ne", "lt", "le", "gt", "ge").
@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    """A built-in function: len, abs, min, max, sum, startswith, endswith, contains."""

    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Predicate(Node):
    """A kernel predicate: trusted Python at run time, uninterpreted in Z3."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class InLiterals(Node):
    """`x in {"a", "b"}`: membership in a literal set of constants."""

    element: Node
    options: tuple[Const, ...]


@dataclass(frozen=True)
class InList(Node):
    """`x in xs` where xs is a bounded list value."""

    element: Node
    items: Node


@dataclass(frozen=True)
class Quantifier(Node):
    """`all(body for var in items if cond)` or `any(...)`, bounded by the list's maximum length."""

    kind: str  # "all" | "any"
    var: str
    items: Node
    condition: Node | None
    body: Node


@dataclass(frozen=True)
class IfElse(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True)
class ListLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class RecordLiteral(Node):
    fields: tuple[tuple[str, Node], ...]


def walk(node: Node) -> Iterator[Node]:
    """`node` and every node below it, parents first."""
    yield node
    for value in vars(node).values():
        for child in value if isinstance(value, tuple) else (value,):
            child = child[1] if isinstance(child, tuple) else child  # record literal fields are pairs
            if isinstance(child, Node):
                yield from walk(child)
