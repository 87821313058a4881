"""The error of a constraint expression that does not parse or type-check (expressions.py, functions.py)."""
from __future__ import annotations

import ast


class ExprError(ValueError):
    """A constraint expression is malformed or ill-typed. `line`/`col` are 1-based, relative
    to the expression text."""

    def __init__(self, message: str, node: ast.AST | None = None):
        super().__init__(message)
        self.line = getattr(node, "lineno", 1)
        self.col = getattr(node, "col_offset", 0) + 1
