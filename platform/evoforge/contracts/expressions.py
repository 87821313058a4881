"""Reads a constraint expression with `ast` (never `eval`) and type-checks it into the typed IR.

Only the constructs listed in docs/specs.md are accepted; anything else is an `ExprError`
that points at the offending part of the expression.
"""
from __future__ import annotations

import ast
from typing import Callable

from evoforge.contracts import ir
from evoforge.contracts.expression_error import ExprError
from evoforge.contracts.comprehensions import Comprehensions
from evoforge.contracts.functions import FUNCTIONS
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.types import (
    BOOL,
    INT,
    JSON,
    REAL,
    STR,
    EnumType,
    JsonType,
    ListType,
    MapType,
    OptionalType,
    RecordType,
    StrType,
    Type,
    ValueTypeError,
    assignable,
    exact_real,
    is_numeric,
    is_stringlike,
    needs_conversion,
)
from evoforge.contracts.z3_strings import unrepresentable


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


def as_type(node: ir.Node, target: Type) -> ir.Node:
    """`node`, whose type is assignable to `target`, in `target`'s representation (see ir.Convert)."""
    return ir.Convert(target, node) if needs_conversion(node.type, target) else node


class _Checker(Comprehensions):
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
        if isinstance(record.type, MapType):
            raise ExprError(f"a map's values are read by key: write [{node.attr!r}], not .{node.attr}", node)
        if not isinstance(record.type, RecordType):
            raise ExprError(f"'.{node.attr}' needs a record, but the value has type {record.type}", node)
        field_type = record.type.field(node.attr)
        if field_type is None:
            fields = ", ".join(name for name, _ in record.type.fields)
            raise ExprError(f"record {record.type} has no field {node.attr!r} (fields: {fields})", node)
        if isinstance(field_type, OptionalType):
            return ir.OptionalField(field_type.item, record, node.attr, ast.unparse(node))
        return ir.Field(field_type, record, node.attr)

    def _Subscript(self, node: ast.Subscript) -> ir.Node:
        if isinstance(node.slice, ast.Slice):
            raise ExprError("slices are not part of the contract language; use a comprehension or an index", node)
        container, key = self.check(node.value), self.check(node.slice)
        kind = container.type
        if isinstance(kind, ListType) and kind.max_len > 0:
            if key.type != INT:
                raise ExprError(f"a list index must be an int, got {key.type}", node.slice)
            return ir.Index(kind.item, container, key, ast.unparse(node))
        if isinstance(kind, MapType):
            if not is_stringlike(key.type):
                raise ExprError(f"a map key must be a string, got {key.type}", node.slice)
            return ir.Index(kind.value, container, key, ast.unparse(node))
        hints = {RecordType: "read a record's field with '.': r.name", JsonType: "a json value is not constrained by the contract; give it a type",
                 ListType: "the empty list has no items", StrType: "a string is not indexed; use startswith, endswith or contains",
                 EnumType: "a string is not indexed; use startswith, endswith or contains"}
        hint = next((text for cls, text in hints.items() if isinstance(kind, cls)), "only lists and maps can be indexed")
        raise ExprError(f"cannot index a value of type {kind}: {hint}", node)

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
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            return self._is_none(node)
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

    def _is_none(self, node: ast.Compare) -> ir.Node:
        """`r.f is None` / `r.f is not None`: whether an optional record field is absent."""
        if len(node.ops) != 1 or not (isinstance(node.comparators[0], ast.Constant) and node.comparators[0].value is None):
            raise ExprError("'is' compares an optional field with None only: `r.f is None` or `r.f is not None`", node)
        field = self.check(node.left)
        if not isinstance(field, ir.OptionalField):
            raise ExprError(f"only an optional record field can be None, and `{ast.unparse(node.left)}` is not one", node)
        missing = ir.Missing(BOOL, field.record, field.name)
        return missing if isinstance(node.ops[0], ast.Is) else ir.Unary(BOOL, "not", missing)

    def _comparison(self, op: str, left: ir.Node, right: ir.Node, node: ast.AST) -> ir.Node:
        if op in ("lt", "le", "gt", "ge"):
            if not (is_numeric(left.type) and is_numeric(right.type)):
                raise ExprError(f"ordering comparison needs numbers, got {left.type} and {right.type}", node)
        elif JSON in (left.type, right.type):
            # Python's == on a string is exact whatever the other value is; on numbers it is not (True == 1).
            other = right.type if left.type == JSON else left.type
            if not is_stringlike(other):
                raise ExprError(f"a json value can be compared with a string only, not with {other}; compare kind(v) first", node)
        elif assignable(right.type, left.type):
            right = as_type(right, left.type)
        elif assignable(left.type, right.type):
            left = as_type(left, right.type)
        elif not self._enum_vs_str(left, right):
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
        if isinstance(target.type, MapType):
            if not is_stringlike(element.type):
                raise ExprError(f"'in' on a map looks up a key, a string; got {element.type}", node)
            return ir.InList(BOOL, element, target)
        if isinstance(target.type, ListType):
            item = ir.Var(target.type.item, "_")
            compared = self._comparison("eq", element, item, node)
            assert isinstance(compared, ir.Binary)
            if compared.right is not item:  # the items would need converting, one by one
                raise ExprError(f"'in' needs items of the element's type; {target.type.item} is narrower than {element.type}", node)
            return ir.InList(BOOL, compared.left, target)
        raise ExprError(f"'in' needs a string, a list, a map or a literal set, got {target.type}", container)

    def _IfExp(self, node: ast.IfExp) -> ir.Node:
        condition = self.check(node.test)
        self._need(condition, BOOL, node.test, "the condition of 'if'")
        then, otherwise = self.check(node.body), self.check(node.orelse)
        if assignable(then.type, otherwise.type):
            result_type = otherwise.type
        elif assignable(otherwise.type, then.type):
            result_type = then.type
        else:  # branches of different types give a json value (e.g. a default argument by its type)
            result_type = JSON
        return ir.IfElse(result_type, condition, as_type(then, result_type), as_type(otherwise, result_type))

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
        return ir.ListLiteral(ListType(item_type, len(items)), tuple(as_type(item, item_type) for item in items))

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
        if name in ("all", "any") and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp):
            return self._quantifier(name, node.args[0])
        args = [self.check(arg) for arg in node.args]
        if name in PREDICATES:
            return self._predicate(name, args, node)
        builder = FUNCTIONS.get(name)
        if builder is None:
            known = ", ".join(sorted([*FUNCTIONS, *PREDICATES]))
            raise ExprError(f"unknown function {name!r} (available: {known})", node)
        return builder(args, node)

    def _predicate(self, name: str, args: list[ir.Node], node: ast.Call) -> ir.Node:
        predicate = PREDICATES[name]
        if len(args) != len(predicate.arg_types):
            raise ExprError(f"{name}() takes {len(predicate.arg_types)} argument(s), got {len(args)}", node)
        for arg, wanted in zip(args, predicate.arg_types):
            if not assignable(arg.type, wanted) and not (wanted == STR and is_stringlike(arg.type)):
                raise ExprError(f"{name}() needs {wanted} arguments, got {arg.type}", node)
        return ir.Predicate(BOOL, name, tuple(args))

    def _need(self, node: ir.Node, wanted: Type, source: ast.AST, what: str) -> None:
        if node.type != wanted:
            raise ExprError(f"{what} needs {wanted}, got {node.type}", source)

    def _need_string(self, node: ir.Node, source: ast.AST, what: str) -> None:
        if not is_stringlike(node.type):
            raise ExprError(f"{what}() needs strings, got {node.type}", source)
