"""The built-in functions of the expression language: the type each takes and gives.

`len`, `abs`, `min`, `max`, `sum`, `all`/`any` of a list of bools, `kind` of a json value,
`contains` and `implies`; `all`/`any` over a generator are quantifiers (expressions.py).
"""
from __future__ import annotations

import ast
from typing import Callable

from evoforge.contracts import ir
from evoforge.contracts.expression_error import ExprError
from evoforge.contracts.types import BOOL, INT, JSON, KINDS, REAL, ListType, MapType, is_numeric, is_stringlike

Builder = Callable[[list[ir.Node], ast.Call], ir.Node]


def _len(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not (is_stringlike(args[0].type) or isinstance(args[0].type, (ListType, MapType))):
        raise ExprError("len() takes one string, list or map", node)
    return ir.Call(INT, "len", tuple(args))


def _all_any(name: str) -> Builder:
    def build(args: list[ir.Node], node: ast.Call) -> ir.Node:
        if len(args) != 1 or args[0].type != ListType(BOOL, getattr(args[0].type, "max_len", 0)):
            raise ExprError(f"{name}() takes a list of bools, or one generator: {name}(COND for x in LIST)", node)
        return ir.Call(BOOL, name, tuple(args))

    return build


def _kind(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or args[0].type != JSON:
        raise ExprError(f"kind() takes one json value and tells which of {', '.join(KINDS.values)} it is", node)
    return ir.Call(KINDS, "kind", tuple(args))


def _abs(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not is_numeric(args[0].type):
        raise ExprError("abs() takes one number", node)
    return ir.Call(args[0].type, "abs", tuple(args))


def _min_max(name: str) -> Builder:
    def build(args: list[ir.Node], node: ast.Call) -> ir.Node:
        if len(args) != 2 or not all(is_numeric(a.type) for a in args):
            raise ExprError(f"{name}() takes two numbers", node)
        result_type = INT if all(a.type == INT for a in args) else REAL
        return ir.Call(result_type, name, tuple(args))

    return build


def _sum(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not (isinstance(args[0].type, ListType) and is_numeric(args[0].type.item)):
        raise ExprError("sum() takes one list of numbers", node)
    return ir.Call(args[0].type.item, "sum", tuple(args))


def _contains(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 2 or not all(is_stringlike(a.type) for a in args):
        raise ExprError("contains(text, part) takes two strings", node)
    return ir.Call(BOOL, "contains", tuple(args))


def _implies(args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 2 or not all(a.type == BOOL for a in args):
        raise ExprError("implies(a, b) takes two conditions", node)
    return ir.Binary(BOOL, "implies", args[0], args[1])


FUNCTIONS: dict[str, Builder] = {
    "len": _len,
    "all": _all_any("all"),
    "any": _all_any("any"),
    "kind": _kind,
    "abs": _abs,
    "min": _min_max("min"),
    "max": _min_max("max"),
    "sum": _sum,
    "contains": _contains,
    "implies": _implies,
}
