"""Reads a constraint expression with `ast` (never `eval`) and type-checks it into the typed IR.

Only the constructs listed in docs/specs.md are accepted; anything else is an `ExprError`
that points at the offending part of the expression.
"""
from __future__ import annotations

import ast
from typing import Callable

from evoforge.contracts import ir
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.types import (
    BOOL,
    INT,
    REAL,
    STR,
    EnumType,
    ListType,
    RecordType,
    Type,
    ValueTypeError,
    assignable,
    exact_real,
    is_numeric,
    is_stringlike,
)
from evoforge.contracts.z3_strings import unrepresentable


class ExprError(ValueError):
    """A constraint expression is malformed or ill-typed. `line`/`col` are 1-based, relative
    to the expression text."""

    def __init__(self, message: str, node: ast.AST | None = None):
        super().__init__(message)
        self.line = getattr(node, "lineno", 1)
        self.col = getattr(node, "col_offset", 0) + 1


Scope = dict[str, Type]

_ARITH = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.FloorDiv: "floordiv", ast.Mod: "mod"}
_COMPARE = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}


def parse_expression(text: str, scope: Scope, expected: Type | None = BOOL) -> ir.Node:
    """Parse and type-check `text` in `scope`. With `expected`, the result must be assignable to it."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        err = ExprError(f"syntax error: {error.msg}")
        err.line, err.col = error.lineno or 1, error.offset or 1
        raise err from None
    node = _Checker(scope).check(tree.body)
    if expected is not None and not assignable(node.type, expected):
        raise ExprError(f"expression has type {node.type}, but {expected} is needed", tree.body)
    return node


class _Checker:
    def __init__(self, scope: Scope):
        self.scope = dict(scope)

    def check(self, node: ast.expr) -> ir.Node:
        method: Callable[[ast.expr], ir.Node] | None = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError(f"{type(node).__name__} expressions are not part of the contract language", node)
        return method(node)

    def _Constant(self, node: ast.Constant) -> ir.Node:
        value = node.value
        if isinstance(value, bool):
            return ir.Const(BOOL, value)
        if isinstance(value, int):
            return ir.Const(INT, value)
        if isinstance(value, float):
            try:
                return ir.Const(REAL, exact_real(value))
            except ValueTypeError as error:
                raise ExprError(str(error), node) from None
        if isinstance(value, str):
            problem = unrepresentable(value)
            if problem is not None:  # the proof could not say it: refused rather than mistranslated
                raise ExprError(problem, node)
            return ir.Const(STR, value)
        raise ExprError(f"constant {value!r} is not an int, real, bool or string", node)

    def _Name(self, node: ast.Name) -> ir.Node:
        if node.id not in self.scope:
            known = ", ".join(sorted(self.scope)) or "none"
            raise ExprError(f"unknown name {node.id!r} (names in scope: {known})", node)
        return ir.Var(self.scope[node.id], node.id)

    def _Attribute(self, node: ast.Attribute) -> ir.Node:
        record = self.check(node.value)
        if not isinstance(record.type, RecordType):
            raise ExprError(f"'.{node.attr}' needs a record, but the value has type {record.type}", node)
        field_type = record.type.field(node.attr)
        if field_type is None:
            fields = ", ".join(name for name, _ in record.type.fields)
            raise ExprError(f"record {record.type} has no field {node.attr!r} (fields: {fields})", node)
        return ir.Field(field_type, record, node.attr)

    def _UnaryOp(self, node: ast.UnaryOp) -> ir.Node:
        operand = self.check(node.operand)
        if isinstance(node.op, ast.Not):
            self._need(operand, BOOL, node, "'not'")
            return ir.Unary(BOOL, "not", operand)
        if isinstance(node.op, (ast.USub, ast.UAdd)) and is_numeric(operand.type):
            return operand if isinstance(node.op, ast.UAdd) else ir.Unary(operand.type, "neg", operand)
        raise ExprError(f"unary operator needs a number, got {operand.type}", node)

    def _BinOp(self, node: ast.BinOp) -> ir.Node:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise ExprError(f"operator {type(node.op).__name__} is not supported", node)
        left, right = self.check(node.left), self.check(node.right)
        if op == "add" and is_stringlike(left.type) and is_stringlike(right.type):
            return ir.Binary(STR, "concat", left, right)
        if not (is_numeric(left.type) and is_numeric(right.type)):
            raise ExprError(f"arithmetic needs numbers, got {left.type} and {right.type}", node)
        if op in ("floordiv", "mod") and not (left.type == INT and right.type == INT):
            raise ExprError("'//' and '%' need two ints", node)
        both_int = left.type == INT and right.type == INT
        return ir.Binary(INT if both_int and op != "div" else REAL, op, left, right)

    def _BoolOp(self, node: ast.BoolOp) -> ir.Node:
        op = "and" if isinstance(node.op, ast.And) else "or"
        operands = [self.check(v) for v in node.values]
        for operand, source in zip(operands, node.values):
            self._need(operand, BOOL, source, f"'{op}'")
        result = operands[0]
        for operand in operands[1:]:
            result = ir.Binary(BOOL, op, result, operand)
        return result

    def _Compare(self, node: ast.Compare) -> ir.Node:
        left = self.check(node.left)
        parts: list[ir.Node] = []
        for op, comparator in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                part = self._membership(left, comparator, node)
                if isinstance(op, ast.NotIn):
                    part = ir.Unary(BOOL, "not", part)
                right = None
            else:
                right = self.check(comparator)
                part = self._comparison(_COMPARE[type(op)], left, right, node)
            parts.append(part)
            left = right if right is not None else left
        result = parts[0]
        for part in parts[1:]:
            result = ir.Binary(BOOL, "and", result, part)
        return result

    def _comparison(self, op: str, left: ir.Node, right: ir.Node, node: ast.AST) -> ir.Node:
        if op in ("lt", "le", "gt", "ge"):
            if not (is_numeric(left.type) and is_numeric(right.type)):
                raise ExprError(f"ordering comparison needs numbers, got {left.type} and {right.type}", node)
        elif not (assignable(left.type, right.type) or assignable(right.type, left.type) or self._enum_vs_str(left, right)):
            raise ExprError(f"cannot compare {left.type} with {right.type}", node)
        return ir.Binary(BOOL, op, left, right)

    def _enum_vs_str(self, left: ir.Node, right: ir.Node) -> bool:
        """Enums compare with strings; a literal that is not a member is a spelling mistake."""
        for enum_side, other in ((left, right), (right, left)):
            if isinstance(enum_side.type, EnumType) and other.type == STR:
                if isinstance(other, ir.Const) and other.value not in enum_side.type.values:
                    raise ExprError(f"{other.value!r} is not a value of {enum_side.type}")
                return True
        return False

    def _membership(self, element: ir.Node, container: ast.expr, node: ast.AST) -> ir.Node:
        if isinstance(container, (ast.Set, ast.List, ast.Tuple)):
            options = [self.check(item) for item in container.elts]
            if not options or not all(isinstance(o, ir.Const) for o in options):
                raise ExprError("'in {...}' needs a non-empty set of constants", container)
            for option in options:
                self._comparison("eq", element, option, container)
            return ir.InLiterals(BOOL, element, tuple(options))  # type: ignore[arg-type]
        target = self.check(container)
        if is_stringlike(target.type):
            if not is_stringlike(element.type):
                raise ExprError(f"'in' on a string needs a string on the left, got {element.type}", node)
            return ir.Call(BOOL, "contains", (target, element))
        if isinstance(target.type, ListType):
            self._comparison("eq", element, ir.Var(target.type.item, "_"), node)
            return ir.InList(BOOL, element, target)
        raise ExprError(f"'in' needs a string, a list or a literal set, got {target.type}", container)

    def _IfExp(self, node: ast.IfExp) -> ir.Node:
        condition = self.check(node.test)
        self._need(condition, BOOL, node.test, "the condition of 'if'")
        then, otherwise = self.check(node.body), self.check(node.orelse)
        if assignable(then.type, otherwise.type):
            result_type = otherwise.type
        elif assignable(otherwise.type, then.type):
            result_type = then.type
        else:
            raise ExprError(f"both branches of 'if' need one type, got {then.type} and {otherwise.type}", node)
        return ir.IfElse(result_type, condition, then, otherwise)

    def _List(self, node: ast.List) -> ir.Node:
        items = tuple(self.check(item) for item in node.elts)
        if not items:
            return ir.ListLiteral(ListType(BOOL, 0), ())
        item_type = items[0].type
        for item, source in zip(items, node.elts):
            if assignable(item.type, item_type):
                continue
            if assignable(item_type, item.type):
                item_type = item.type
            else:
                raise ExprError(f"list items need one type, got {item_type} and {item.type}", source)
        return ir.ListLiteral(ListType(item_type, len(items)), items)

    def _Dict(self, node: ast.Dict) -> ir.Node:
        fields: list[tuple[str, ir.Node]] = []
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                raise ExprError("record literals need string constant keys", key or node)
            fields.append((key.value, self.check(value)))
        record_type = RecordType("{" + ", ".join(name for name, _ in fields) + "}", tuple((n, v.type) for n, v in fields))
        return ir.RecordLiteral(record_type, tuple(fields))

    def _Call(self, node: ast.Call) -> ir.Node:
        if node.keywords:
            raise ExprError("keyword arguments are not supported", node)
        if isinstance(node.func, ast.Attribute):
            if node.func.attr in ("startswith", "endswith") and len(node.args) == 1:
                subject, arg = self.check(node.func.value), self.check(node.args[0])
                self._need_string(subject, node, node.func.attr)
                self._need_string(arg, node, node.func.attr)
                return ir.Call(BOOL, node.func.attr, (subject, arg))
            raise ExprError(f"method '.{node.func.attr}()' is not supported (only startswith, endswith)", node)
        if not isinstance(node.func, ast.Name):
            raise ExprError("only named functions can be called", node)
        name = node.func.id
        if name in ("all", "any"):
            return self._quantifier(name, node)
        args = [self.check(arg) for arg in node.args]
        if name in PREDICATES:
            return self._predicate(name, args, node)
        builder = _BUILTINS.get(name)
        if builder is None:
            known = ", ".join(sorted([*_BUILTINS, "all", "any", *PREDICATES]))
            raise ExprError(f"unknown function {name!r} (available: {known})", node)
        return builder(self, args, node)

    def _predicate(self, name: str, args: list[ir.Node], node: ast.Call) -> ir.Node:
        predicate = PREDICATES[name]
        if len(args) != len(predicate.arg_types):
            raise ExprError(f"{name}() takes {len(predicate.arg_types)} argument(s), got {len(args)}", node)
        for arg, wanted in zip(args, predicate.arg_types):
            if not assignable(arg.type, wanted) and not (wanted == STR and is_stringlike(arg.type)):
                raise ExprError(f"{name}() needs {wanted} arguments, got {arg.type}", node)
        return ir.Predicate(BOOL, name, tuple(args))

    def _quantifier(self, kind: str, node: ast.Call) -> ir.Node:
        generator = node.args[0] if len(node.args) == 1 else None
        if not isinstance(generator, ast.GeneratorExp) or len(generator.generators) != 1:
            raise ExprError(f"{kind}() needs one generator: {kind}(COND for x in LIST)", node)
        comp = generator.generators[0]
        if not isinstance(comp.target, ast.Name) or len(comp.ifs) > 1 or comp.is_async:
            raise ExprError(f"{kind}() supports 'for NAME in LIST' with at most one 'if'", node)
        items = self.check(comp.iter)
        if not isinstance(items.type, ListType):
            raise ExprError(f"{kind}() iterates over a bounded list, got {items.type}", comp.iter)
        inner = _Checker({**self.scope, comp.target.id: items.type.item})
        condition = inner.check(comp.ifs[0]) if comp.ifs else None
        if condition is not None:
            inner._need(condition, BOOL, comp.ifs[0], f"the 'if' of {kind}()")
        body = inner.check(generator.elt)
        inner._need(body, BOOL, generator.elt, f"{kind}()")
        return ir.Quantifier(BOOL, kind, comp.target.id, items, condition, body)

    def _need(self, node: ir.Node, wanted: Type, source: ast.AST, what: str) -> None:
        if node.type != wanted:
            raise ExprError(f"{what} needs {wanted}, got {node.type}", source)

    def _need_string(self, node: ir.Node, source: ast.AST, what: str) -> None:
        if not is_stringlike(node.type):
            raise ExprError(f"{what}() needs strings, got {node.type}", source)


def _len(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not (is_stringlike(args[0].type) or isinstance(args[0].type, ListType)):
        raise ExprError("len() takes one string or list", node)
    return ir.Call(INT, "len", tuple(args))


def _abs(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not is_numeric(args[0].type):
        raise ExprError("abs() takes one number", node)
    return ir.Call(args[0].type, "abs", tuple(args))


def _min_max(name: str) -> Callable[[_Checker, list[ir.Node], ast.Call], ir.Node]:
    def build(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
        if len(args) != 2 or not all(is_numeric(a.type) for a in args):
            raise ExprError(f"{name}() takes two numbers", node)
        result_type = INT if all(a.type == INT for a in args) else REAL
        return ir.Call(result_type, name, tuple(args))

    return build


def _sum(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 1 or not (isinstance(args[0].type, ListType) and is_numeric(args[0].type.item)):
        raise ExprError("sum() takes one list of numbers", node)
    return ir.Call(args[0].type.item, "sum", tuple(args))


def _contains(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 2 or not all(is_stringlike(a.type) for a in args):
        raise ExprError("contains(text, part) takes two strings", node)
    return ir.Call(BOOL, "contains", tuple(args))


def _implies(checker: _Checker, args: list[ir.Node], node: ast.Call) -> ir.Node:
    if len(args) != 2 or not all(a.type == BOOL for a in args):
        raise ExprError("implies(a, b) takes two conditions", node)
    return ir.Binary(BOOL, "implies", args[0], args[1])


_BUILTINS: dict[str, Callable[[_Checker, list[ir.Node], ast.Call], ir.Node]] = {
    "len": _len,
    "abs": _abs,
    "min": _min_max("min"),
    "max": _min_max("max"),
    "sum": _sum,
    "contains": _contains,
    "implies": _implies,
}
