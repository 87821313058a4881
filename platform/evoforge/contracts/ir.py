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
class OptionalField(Node):
    """`record.name` for an optional field: defined only where the field is present, which the
    loader proves for every place the expression is evaluated (see safety.py)."""

    record: Node
    name: str
    text: str  # the expression as written, for messages


@dataclass(frozen=True)
class Missing(Node):
    """`record.name is None`: the optional field is absent."""

    record: Node
    name: str


@dataclass(frozen=True)
class Index(Node):
    """`items[key]`: a list item by position (negative from the end) or a map's value by key;
    defined only in range, which the loader proves wherever it is evaluated (see safety.py)."""

    container: Node
    key: Node
    text: str  # the expression as written, for messages


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
    """A built-in function: len, abs, min, max, sum, all, any (of a list of bools), kind (of a
    json value), startswith, endswith, contains."""

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
class Comprehension(Node):
    """`[element for var in items if condition]`, or with `key`, `{key: element for ...}`.

    `items` is a bounded list or map (a map yields its keys); the result is bounded alike."""

    var: str
    items: Node
    condition: Node | None
    element: Node
    key: Node | None = None


@dataclass(frozen=True)
class Convert(Node):
    """`value` in the representation of `type`, to which its own type is assignable: as json, a
    record literal as a map, a record given the optional fields it leaves out (absent)."""

    value: Node


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
