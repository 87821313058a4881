"""The repair move: guard a violated Psi clause with a run-time check whose fallback is proven.

Every `return E` of the program becomes

    result = E
    if CLAUSE:
        return result
    return FALLBACK

where CLAUSE is the broken clause of the task's `ensure` (written over `result` and the
inputs, so it reads the same in the program) and FALLBACK is the task's `fallback`, which Z3
proved satisfies all of Psi for every admissible input. A return already guarded this way
gets the new clause added to its check. The repaired program is verified again like any other.
"""
from __future__ import annotations

import ast

from evoforge.contracts.model import RESULT
from evoforge.contracts.tasks import TaskSpec
from evoforge.synthesis.language.parser import ENTRY


def guard_clause(source: str, task: TaskSpec, clause: str) -> str | None:
    """The repaired source, or None when the move does not apply (no proven task fallback,
    `result` already used as a name, or nothing changed)."""
    if not task.proven_fallback or task.fallback is None:
        return None
    try:
        module = ast.parse(source)
    except SyntaxError:
        return None
    entry = next((n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == ENTRY), None)
    if entry is None or _assigns_result(entry):
        return None
    check = ast.parse(clause, mode="eval").body
    fallback = ast.parse(task.fallback.text, mode="eval").body
    changed = _Guard(check, fallback).rewrite(entry)
    return ast.unparse(ast.fix_missing_locations(module)) + "\n" if changed else None


def _assigns_result(entry: ast.FunctionDef) -> bool:
    """Whether `result` is a name the program already uses other than in an earlier repair."""
    for node in ast.walk(entry):
        if isinstance(node, ast.Name) and node.id == RESULT and isinstance(node.ctx, ast.Store):
            if not _is_repair_assignment(entry, node):
                return True
    return False


def _is_repair_assignment(entry: ast.FunctionDef, target: ast.Name) -> bool:
    # A repaired return is `result = E` directly followed by `if ...: return result`.
    for node in ast.walk(entry):
        body = getattr(node, "body", None)
        for block in (body, getattr(node, "orelse", None)):
            if not isinstance(block, list):
                continue
            for first, second in zip(block, block[1:]):
                if isinstance(first, ast.Assign) and first.targets[0] is target and _is_guard(second):
                    return True
    return False


def _is_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If) and not node.orelse and len(node.body) == 1
        and isinstance(node.body[0], ast.Return) and isinstance(node.body[0].value, ast.Name)
        and node.body[0].value.id == RESULT
    )


class _Guard:
    def __init__(self, check: ast.expr, fallback: ast.expr):
        self.check, self.fallback = check, fallback
        self.changed = False

    def rewrite(self, entry: ast.FunctionDef) -> bool:
        entry.body = self._block(entry.body)
        return self.changed

    def _block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        index = 0
        while index < len(stmts):
            stmt = stmts[index]
            if _is_guard(stmt) and index + 1 < len(stmts):
                # An earlier repair: add the clause to its check, keep its fallback return.
                if ast.dump(self.check) not in {ast.dump(part) for part in _conjuncts(stmt.test)}:
                    stmt.test = ast.BoolOp(ast.And(), [stmt.test, self.check])
                    self.changed = True
                out += [stmt, stmts[index + 1]]
                index += 2
                continue
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                out += self._guarded(stmt.value)
                self.changed = True
            else:
                for name in ("body", "orelse"):
                    block = getattr(stmt, name, None)
                    if isinstance(block, list) and block and isinstance(stmt, (ast.If, ast.For)):
                        setattr(stmt, name, self._block(block))
                out.append(stmt)
            index += 1
        return out

    def _guarded(self, value: ast.expr) -> list[ast.stmt]:
        return [
            ast.Assign([ast.Name(RESULT, ast.Store())], value),
            ast.If(self.check, [ast.Return(ast.Name(RESULT, ast.Load()))], []),
            ast.Return(self.fallback),
        ]


def _conjuncts(test: ast.expr) -> list[ast.expr]:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [part for value in test.values for part in _conjuncts(value)]
    return [test]
