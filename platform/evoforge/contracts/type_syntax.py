"""Reads type expressions as spec files write them (`list[enum["+", "-"], 3]`), with `ast`.

The types themselves, and how values are checked against them, are in types.py.
"""
from __future__ import annotations

import ast

from evoforge.contracts.types import MAX_LIST_LEN, SCALARS, EnumType, ListType, MapType, OptionalType, RecordType, Type
from evoforge.contracts.z3_strings import unrepresentable


class TypeSyntaxError(ValueError):
    """A type expression is malformed or names an unknown type."""


def parse_type(text: str, records: dict[str, RecordType], *, field: bool = False) -> Type:
    """Parse a type expression such as `list[enum["+", "-"], 3]`; `field`: a record field's
    type, which may be `optional[T]`."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise TypeSyntaxError(f"type {text!r} is not valid syntax ({error.msg})") from None
    if field and isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "optional":
        if isinstance(node.slice, ast.Tuple):
            raise TypeSyntaxError(f"optional in {text!r} takes one type: optional[T]")
        return OptionalType(_type_from_node(node.slice, text, records))
    return _type_from_node(node, text, records)


_KNOWN = "int, real, bool, str, json, enum[...], list[T, N], map[str, T, N]"


def _type_from_node(node: ast.expr, text: str, records: dict[str, RecordType]) -> Type:
    if isinstance(node, ast.Name):
        if node.id in SCALARS:
            return SCALARS[node.id]
        if node.id in records:
            return records[node.id]
        raise TypeSyntaxError(f"unknown type {node.id!r} (known: {', '.join([_KNOWN, *records])})")
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if node.value.id == "enum":
            values = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if len(values) != len(args) or not values:
                raise TypeSyntaxError(f"enum in {text!r} needs one or more string values")
            if len(set(values)) != len(values):
                raise TypeSyntaxError(f"enum in {text!r} repeats a value")
            problem = unrepresentable(*values)
            if problem is not None:
                raise TypeSyntaxError(f"enum in {text!r}: {problem}")
            return EnumType(tuple(values))
        if node.value.id == "list":
            if len(args) != 2:
                raise TypeSyntaxError(f"list in {text!r} must be written list[ITEM_TYPE, MAX_LENGTH]")
            return ListType(_type_from_node(args[0], text, records), _bound(args[1], text, "list"))
        if node.value.id == "map":
            if len(args) != 3 or not (isinstance(args[0], ast.Name) and args[0].id == "str"):
                raise TypeSyntaxError(f"map in {text!r} must be written map[str, VALUE_TYPE, MAX_ENTRIES] (keys are strings)")
            return MapType(_type_from_node(args[1], text, records), _bound(args[2], text, "map"))
        if node.value.id == "optional":
            raise TypeSyntaxError(f"optional in {text!r}: only a record field may be optional (declare it under [types.NAME])")
    raise TypeSyntaxError(f"cannot read type {text!r}: use {_KNOWN} or a record name")


def _bound(node: ast.expr, text: str, what: str) -> int:
    """The maximum length of a list or map: a whole number from 1 to MAX_LIST_LEN."""
    if not (isinstance(node, ast.Constant) and type(node.value) is int and 0 < node.value <= MAX_LIST_LEN):
        raise TypeSyntaxError(f"{what} maximum length in {text!r} must be a whole number from 1 to {MAX_LIST_LEN}")
    return node.value
