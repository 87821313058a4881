"""Compiles typed IR into plain Python functions for the hot path (no solver involved).

The IR is translated into a fresh Python AST, built node by node from the already
type-checked tree (the spec's text is never evaluated), compiled, and turned into a function
whose globals hold only the helpers below: no builtins, no imports, no attribute access other
than `str.startswith`/`str.endswith` and record fields.
"""
from __future__ import annotations

import ast
import types
from fractions import Fraction
from typing import Any, Callable

from evoforge.contracts import ir
from evoforge.contracts.model import RESULT
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.runtime import _div, _floordiv, _kind, _mod
from evoforge.contracts.types import STR, JsonType, ListType, MapType, OptionalType, RecordType, Type

_HELPERS: dict[str, Any] = {
    "__builtins__": {},
    "_div": _div,
    "_floordiv": _floordiv,
    "_mod": _mod,
    "_kind": _kind,
    "len": len,
    "abs": abs,
    "min": min,
    "max": max,
    "sum": sum,
    "all": all,
    "any": any,
    **{f"_pred_{name}": p.function for name, p in PREDICATES.items()},
}

_OPERATORS: dict[str, ast.AST] = {
    "add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(), "concat": ast.Add(),
    "eq": ast.Eq(), "ne": ast.NotEq(), "lt": ast.Lt(), "le": ast.LtE(), "gt": ast.Gt(), "ge": ast.GtE(),
}
_HELPER_CALLS = {"div": "_div", "floordiv": "_floordiv", "mod": "_mod"}


def python_name(name: str) -> str:
    # Prefix every contract name so none can reach a helper or a Python builtin.
    return "v_" + name


class Translator:
    """IR to a Python AST; names become `v_NAME`, exact reals become constants `_constN`, and the
    names a conversion binds `_cN`."""

    def __init__(self) -> None:
        self.constants: dict[str, Any] = {}
        self.bound = 0

    def expr(self, node: ir.Node) -> ast.expr:
        return getattr(self, "_" + type(node).__name__)(node)

    def _Const(self, node: ir.Const) -> ast.expr:
        if isinstance(node.value, Fraction):
            key = f"_const{len(self.constants)}"
            self.constants[key] = node.value
            return ast.Name(key, ast.Load())
        return ast.Constant(node.value)

    def _Var(self, node: ir.Var) -> ast.expr:
        return ast.Name(python_name(node.name), ast.Load())

    def _Field(self, node: ir.Field | ir.OptionalField) -> ast.expr:
        return ast.Subscript(self.expr(node.record), ast.Constant(node.name), ast.Load())

    _OptionalField = _Field  # proven present wherever it is evaluated (safety.py)

    def _Missing(self, node: ir.Missing) -> ast.expr:
        field = ast.Subscript(self.expr(node.record), ast.Constant(node.name), ast.Load())
        return ast.Compare(field, [ast.Is()], [ast.Constant(None)])

    def _Index(self, node: ir.Index) -> ast.expr:
        return ast.Subscript(self.expr(node.container), self.expr(node.key), ast.Load())

    def _Unary(self, node: ir.Unary) -> ast.expr:
        op = ast.Not() if node.op == "not" else ast.USub()
        return ast.UnaryOp(op, self.expr(node.operand))

    def _Binary(self, node: ir.Binary) -> ast.expr:
        left, right = self.expr(node.left), self.expr(node.right)
        if node.op in ("and", "or"):
            return ast.BoolOp(ast.And() if node.op == "and" else ast.Or(), [left, right])
        if node.op == "implies":
            return ast.BoolOp(ast.Or(), [ast.UnaryOp(ast.Not(), left), right])
        if node.op in _HELPER_CALLS:
            return _call(_HELPER_CALLS[node.op], [left, right])
        operator = _OPERATORS[node.op]
        if isinstance(operator, ast.cmpop):
            return ast.Compare(left, [operator], [right])
        return ast.BinOp(left, operator, right)

    def _Call(self, node: ir.Call) -> ast.expr:
        args = [self.expr(a) for a in node.args]
        if node.func in ("startswith", "endswith"):
            return ast.Call(ast.Attribute(args[0], node.func, ast.Load()), [args[1]], [])
        if node.func == "contains":
            return ast.Compare(args[1], [ast.In()], [args[0]])
        return _call("_kind" if node.func == "kind" else node.func, args)

    def _Predicate(self, node: ir.Predicate) -> ast.expr:
        return _call(f"_pred_{node.name}", [self.expr(a) for a in node.args])

    def _InLiterals(self, node: ir.InLiterals) -> ast.expr:
        options = ast.Tuple([self.expr(o) for o in node.options], ast.Load())
        return ast.Compare(self.expr(node.element), [ast.In()], [options])

    def _InList(self, node: ir.InList) -> ast.expr:
        return ast.Compare(self.expr(node.element), [ast.In()], [self.expr(node.items)])

    def _Quantifier(self, node: ir.Quantifier) -> ast.expr:
        membership = self._as_membership(node)
        if membership is not None:
            return membership
        generator = ast.comprehension(
            target=ast.Name(python_name(node.var), ast.Store()),
            iter=self.expr(node.items),
            ifs=[self.expr(node.condition)] if node.condition is not None else [],
            is_async=0,
        )
        # A list, not a generator: lists are bounded and clauses pure, and it is faster.
        return _call(node.kind, [ast.ListComp(self.expr(node.body), [generator])])

    def _as_membership(self, node: ir.Quantifier) -> ast.expr | None:
        """`all(x != c for x in xs)` is `c not in xs`, and `any(x == c ...)` is `c in xs`: much faster."""
        body = node.body
        wanted = "ne" if node.kind == "all" else "eq"
        if node.condition is not None or not isinstance(body, ir.Binary) or body.op != wanted:
            return None
        items = node.items.type
        bound = ir.Var(items.item if isinstance(items, ListType) else STR, node.var)
        for this, other in ((body.left, body.right), (body.right, body.left)):
            # `other` is then evaluated even for an empty list: only when it cannot fail.
            if this == bound and not _mentions(other, node.var) and not _partial(other):
                operator = ast.NotIn() if node.kind == "all" else ast.In()
                return ast.Compare(self.expr(other), [operator], [self.expr(node.items)])
        return None

    def _Comprehension(self, node: ir.Comprehension) -> ast.expr:
        generator = ast.comprehension(
            target=ast.Name(python_name(node.var), ast.Store()), iter=self.expr(node.items),
            ifs=[self.expr(node.condition)] if node.condition is not None else [], is_async=0,
        )
        if node.key is None:
            return ast.ListComp(self.expr(node.element), [generator])
        return ast.DictComp(self.expr(node.key), self.expr(node.element), [generator])

    def _Convert(self, node: ir.Convert) -> ast.expr:
        return self._reshaped(self.expr(node.value), node.value.type, node.type)

    def _reshaped(self, value: ast.expr, source: Type, target: Type) -> ast.expr:
        """`value` as `target` represents it at run time: only a record that leaves out optional
        fields changes (they become None); a value is its own json, a record literal its own map."""
        if not _reshapes(source, target):
            return value
        name = self._fresh()
        load = ast.Name(name, ast.Load())
        if isinstance(source, ListType) and isinstance(target, ListType):
            return _comprehension(self._reshaped(load, source.item, target.item), name, value)
        if isinstance(source, MapType) and isinstance(target, MapType):
            key = self._fresh()
            items = ast.Call(ast.Attribute(value, "items", ast.Load()), [], [])
            pair = ast.Tuple([ast.Name(key, ast.Store()), ast.Name(name, ast.Store())], ast.Store())
            generator = ast.comprehension(target=pair, iter=items, ifs=[], is_async=0)
            return ast.DictComp(ast.Name(key, ast.Load()), self._reshaped(load, source.value, target.value), [generator])
        if isinstance(target, OptionalType):
            inner = source.item if isinstance(source, OptionalType) else source
            reshaped = self._reshaped(load, inner, target.item)
            return _bind(name, value, ast.IfExp(ast.Compare(load, [ast.Is()], [ast.Constant(None)]), ast.Constant(None), reshaped))
        assert isinstance(source, RecordType) and isinstance(target, (RecordType, MapType))
        given = dict(source.fields)
        wanted = dict(target.fields) if isinstance(target, RecordType) else {n: target.value for n in given}
        fields = [ast.Constant(None) if n not in given else
                  self._reshaped(ast.Subscript(load, ast.Constant(n), ast.Load()), given[n], t) for n, t in wanted.items()]
        return _bind(name, value, ast.Dict([ast.Constant(n) for n in wanted], fields))

    def _fresh(self) -> str:
        self.bound += 1
        return f"_c{self.bound}"

    def _IfElse(self, node: ir.IfElse) -> ast.expr:
        return ast.IfExp(self.expr(node.condition), self.expr(node.then), self.expr(node.otherwise))

    def _ListLiteral(self, node: ir.ListLiteral) -> ast.expr:
        return ast.List([self.expr(i) for i in node.items], ast.Load())

    def _RecordLiteral(self, node: ir.RecordLiteral) -> ast.expr:
        return ast.Dict([ast.Constant(n) for n, _ in node.fields], [self.expr(v) for _, v in node.fields])


def _reshapes(source: Type, target: Type) -> bool:
    """Whether a value of `source` changes at run time as `target` (see Translator._reshaped)."""
    if source == target or isinstance(target, JsonType):
        return False
    if isinstance(source, ListType) and isinstance(target, ListType):
        return _reshapes(source.item, target.item)
    if isinstance(source, MapType) and isinstance(target, MapType):
        return _reshapes(source.value, target.value)
    if isinstance(target, OptionalType):
        return _reshapes(source.item if isinstance(source, OptionalType) else source, target.item)
    if isinstance(source, RecordType) and isinstance(target, MapType):
        return any(_reshapes(t, target.value) for _, t in source.fields)
    if isinstance(source, RecordType) and isinstance(target, RecordType):
        given = dict(source.fields)
        return any(name not in given or _reshapes(given[name], t) for name, t in target.fields)
    return False


def _comprehension(element: ast.expr, name: str, items: ast.expr) -> ast.expr:
    generator = ast.comprehension(target=ast.Name(name, ast.Store()), iter=items, ifs=[], is_async=0)
    return ast.ListComp(element, [generator])


def _bind(name: str, value: ast.expr, body: ast.expr) -> ast.expr:
    """`body` with `name` bound to `value`, evaluated once: `(lambda name: body)(value)`."""
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg(name)], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    return ast.Call(ast.Lambda(arguments, body), [value], [])


def _partial(node: ir.Node) -> bool:
    """Whether evaluating `node` may fail where unproven: it indexes or reads an optional field."""
    return any(isinstance(n, (ir.Index, ir.OptionalField)) for n in ir.walk(node))


def _mentions(node: ir.Node, name: str) -> bool:
    """Whether the variable `name` occurs anywhere in `node`."""
    return any(isinstance(n, ir.Var) and n.name == name for n in ir.walk(node))


def _call(name: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(ast.Name(name, ast.Load()), args, [])


def _build_function(label: str, params: list[str], body: list[ast.stmt], constants: dict[str, Any]) -> Callable[..., Any]:
    """A function `(values, result=None)`: `values` maps input names to values.

    The inputs a clause uses are bound to locals first, so clauses read fast local variables.
    """
    used = {n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    prologue: list[ast.stmt] = [
        ast.Assign([ast.Name(python_name(p), ast.Store())], ast.Subscript(ast.Name("_values", ast.Load()), ast.Constant(p), ast.Load()))
        for p in params
        if python_name(p) in used
    ]
    arguments = ast.arguments(
        posonlyargs=[], args=[ast.arg("_values"), ast.arg(python_name(RESULT))], vararg=None,
        kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[ast.Constant(None)],
    )
    function = ast.FunctionDef(name="compiled", args=arguments, body=prologue + body, decorator_list=[], returns=None)
    function.type_params = []  # a required field from Python 3.12 on
    module = ast.fix_missing_locations(ast.Module(body=[function], type_ignores=[]))
    module_code = compile(module, f"<contract {label}>", "exec")
    function_code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
    return types.FunctionType(function_code, {**_HELPERS, **constants}, "compiled", (None,))


def compile_clauses(label: str, params: list[str], clauses: list[ir.Node]) -> Callable[..., int]:
    """`f(values, result=None)`: the index of the first false clause, or -1.

    `params` are the input names; `result` is bound to the second argument.
    """
    translator = Translator()
    body: list[ast.stmt] = [
        ast.If(ast.UnaryOp(ast.Not(), translator.expr(clause)), [ast.Return(ast.Constant(index))], [])
        for index, clause in enumerate(clauses)
    ]
    body.append(ast.Return(ast.Constant(-1)))
    return _build_function(label, params, body, translator.constants)


def compile_value(label: str, params: list[str], node: ir.Node) -> Callable[..., Any]:
    """`f(values)`: the value of `node` for the inputs in `values`."""
    translator = Translator()
    return _build_function(label, params, [ast.Return(translator.expr(node))], translator.constants)
