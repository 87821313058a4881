"""Comprehensions in expressions: `[e for x in xs if c]`, `{k: v for x in xs if c}` and the
quantifiers `all(c for x in xs)` / `any(...)`, each with one `for` over a bounded list or a map's
keys and at most one `if`. A mixin of the expression checker (expressions.py)."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from evoforge.contracts import ir
from evoforge.contracts.expression_error import ExprError
from evoforge.contracts.types import BOOL, STR, ListType, MapType, Type, is_stringlike

if TYPE_CHECKING:
    from typing import Self

Comprehension = ast.GeneratorExp | ast.ListComp | ast.DictComp


class Comprehensions:
    """Needs of its class: `scope`, `check(node)`, `_need(node, type, source, what)`, and a
    constructor taking a scope (a checker of the comprehension's body is made with it)."""

    scope: dict[str, Type]

    def _generator(self, node: Comprehension, what: str) -> tuple[str, ir.Node, ir.Node | None, Self]:
        """The one `for NAME in ITEMS [if COND]` of a comprehension: the name, the items (a bounded
        list, or a map, whose keys it yields), the condition and a checker with the name in scope."""
        if len(node.generators) != 1:
            raise ExprError(f"{what} takes one 'for' (nest a second comprehension inside instead)", node)
        comp = node.generators[0]
        if not isinstance(comp.target, ast.Name) or len(comp.ifs) > 1 or comp.is_async:
            raise ExprError(f"{what} supports 'for NAME in LIST' with at most one 'if'", node)
        items = self.check(comp.iter)
        if isinstance(items.type, ListType):
            item_type = items.type.item
        elif isinstance(items.type, MapType):
            item_type = STR
        else:
            raise ExprError(f"{what} iterates over a bounded list or map, got {items.type}", comp.iter)
        inner = type(self)({**self.scope, comp.target.id: item_type})  # type: ignore[call-arg]
        condition = inner.check(comp.ifs[0]) if comp.ifs else None
        if condition is not None:
            inner._need(condition, BOOL, comp.ifs[0], f"the 'if' of {what}")
        return comp.target.id, items, condition, inner

    def _quantifier(self, kind: str, generator: ast.GeneratorExp) -> ir.Node:
        var, items, condition, inner = self._generator(generator, f"{kind}()")
        body = inner.check(generator.elt)
        inner._need(body, BOOL, generator.elt, f"{kind}()")
        return ir.Quantifier(BOOL, kind, var, items, condition, body)

    def _ListComp(self, node: ast.ListComp) -> ir.Node:
        var, items, condition, inner = self._generator(node, "a list comprehension")
        element = inner.check(node.elt)
        return ir.Comprehension(ListType(element.type, _bound_of(items)), var, items, condition, element)

    def _DictComp(self, node: ast.DictComp) -> ir.Node:
        var, items, condition, inner = self._generator(node, "a map comprehension")
        key, value = inner.check(node.key), inner.check(node.value)
        if not is_stringlike(key.type):
            raise ExprError(f"map keys are strings, got {key.type}", node.key)
        return ir.Comprehension(MapType(value.type, _bound_of(items)), var, items, condition, value, key)

    def _GeneratorExp(self, node: ast.GeneratorExp) -> ir.Node:
        raise ExprError("a generator stands only inside all() or any(); write a list comprehension [...]", node)


def _bound_of(items: ir.Node) -> int:
    """The most items a list or map can hold (an empty literal: none, yet a bound of 1 for its type)."""
    return max(items.type.max_len, 1)  # type: ignore[union-attr]
