"""Repair moves for a write its policy forbids (a "policy" counterexample): guard the write.

`guard_write` wraps every call of the policy-held write whose policy has the broken clause, with
the statements after it in its block, in `if CLAUSE:`, the clause read over the write's own
arguments (`implies(result == 'proceed', X)` becomes `X`; elsewhere `result` is the allowed
answer). Repeated on each new counterexample, the guard grows clause by clause until the
verifier proves the write: CEGIS over the program's own code.

`decide_write` asks the policy contract itself first, when the task may call it (within the
contract's own require, which the call must keep):

    if <POLICY's require over facts>:
        decision = call("POLICY", facts=facts)
        if decision == "proceed":
            <the write and the rest of its block>

The contract's ensure is then what the proof relies on, and the guard holds the model to it.
The unguarded path goes on after the block; where that would leave the program without a
return, it returns the task's proven fallback instead.
"""
from __future__ import annotations

import ast
import copy
from typing import Callable

from evoforge.contracts import SpecSet
from evoforge.contracts.model import RESULT, Contract
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.tools import ToolSpec
from evoforge.synthesis.language.parser import ENTRY, ProgramError, parse_program

# (write, tool, policy, names in use) -> wrap(guarded statements, statements otherwise) -> the block's new tail
Wrap = Callable[[list[ast.stmt], list[ast.stmt]], list[ast.stmt]]
Guard = Callable[[ast.Assign, ToolSpec, Contract, set[str]], Wrap]


def guard_write(source: str, task: TaskSpec, specs: SpecSet, clause: str) -> str | None:
    """`source` with each write whose policy has `clause` guarded by it, or None if none applies."""
    def guard(write: ast.Assign, tool: ToolSpec, policy: Contract, names: set[str]) -> Wrap:
        condition = _over_arguments(_allowed(clause, tool), policy, write)
        return lambda rest, otherwise: [ast.If(condition, rest, otherwise)]

    return _rewrite(source, task, specs, lambda policy: any(c.text == clause for c in [*policy.require, *policy.ensure]), guard)


def decide_write(source: str, task: TaskSpec, specs: SpecSet) -> str | None:
    """`source` with each write asking its policy contract first, or None when the task may not
    call the contract (or every write already asks)."""
    allowed = task.contracts

    def guard(write: ast.Assign, tool: ToolSpec, policy: Contract, names: set[str]) -> Wrap:
        target = _fresh("decision", names)
        keywords = [ast.keyword(name, copy.deepcopy(_argument(write, name))) for name in policy.inputs]
        ask = ast.Assign([ast.Name(target, ast.Store())], ast.Call(ast.Name("call", ast.Load()), [ast.Constant(policy.name)], keywords))
        allowed = ast.Compare(ast.Name(target, ast.Load()), [ast.Eq()], [ast.Constant(tool.policy.allows)])  # type: ignore[union-attr]
        scope = [_over_arguments(ast.parse(c.text, mode="eval").body, policy, write) for c in policy.require]

        def wrap(rest: list[ast.stmt], otherwise: list[ast.stmt]) -> list[ast.stmt]:
            decided: list[ast.stmt] = [ask, ast.If(allowed, rest, otherwise)]
            if not scope:
                return decided
            within = scope[0] if len(scope) == 1 else ast.BoolOp(ast.And(), scope)
            return [ast.If(within, decided, copy.deepcopy(otherwise))]

        return wrap

    return _rewrite(source, task, specs, lambda policy: allowed is None or policy.name in allowed, guard)


def _rewrite(source: str, task: TaskSpec, specs: SpecSet, applies: Callable[[Contract], bool], guard: Guard) -> str | None:
    fallback = ast.parse(task.fallback.text, mode="eval").body if task.proven_fallback and task.fallback else None
    plain = _rewritten(source, task, specs, applies, guard, None)
    if plain is None or fallback is None:
        return plain
    try:
        parse_program(plain, task, specs)
    except ProgramError:  # a path without a return: the guarded-off path returns the fallback
        return _rewritten(source, task, specs, applies, guard, fallback)
    return plain


def _rewritten(source: str, task: TaskSpec, specs: SpecSet, applies: Callable[[Contract], bool], guard: Guard,
               fallback: ast.expr | None) -> str | None:
    try:
        module = ast.parse(source)
    except SyntaxError:
        return None
    entry = next((n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == ENTRY), None)
    if entry is None:
        return None
    names = {n.id for n in ast.walk(module) if isinstance(n, ast.Name)}
    changed = _Rewriter(task, specs, applies, guard, names, fallback).block(entry.body)
    if changed is None:
        return None
    entry.body = changed
    return ast.unparse(ast.fix_missing_locations(module)) + "\n"


class _Rewriter:
    def __init__(self, task: TaskSpec, specs: SpecSet, applies: Callable[[Contract], bool], guard: Guard, names: set[str],
                 fallback: ast.expr | None):
        self.task, self.specs, self.applies, self.guard, self.names, self.fallback = task, specs, applies, guard, names, fallback

    def block(self, stmts: list[ast.stmt]) -> list[ast.stmt] | None:
        """The block rewritten, or None when nothing in it changed."""
        out: list[ast.stmt] = []
        changed = False
        for index, stmt in enumerate(stmts):
            found = self._write(stmt)
            if found is not None:
                tool, policy = found
                wrap = self.guard(stmt, tool, policy, self.names)  # type: ignore[arg-type]
                rest = stmts[index:]
                otherwise = [ast.Return(copy.deepcopy(self.fallback))] if self.fallback is not None and _returns(rest) else []
                return [*out, *wrap(rest, otherwise)]
            for name in ("body", "orelse"):
                inner = getattr(stmt, name, None)
                if isinstance(stmt, (ast.If, ast.For)) and isinstance(inner, list) and inner:
                    rewritten = self.block(inner)
                    if rewritten is not None:
                        setattr(stmt, name, rewritten)
                        changed = True
            out.append(stmt)
        return out if changed else None

    def _write(self, stmt: ast.stmt) -> tuple[ToolSpec, Contract] | None:
        """(tool, policy) when `stmt` is `x = tool("W", ...)` for a policy-held W this move applies to."""
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and isinstance(stmt.value.func, ast.Name)
                and stmt.value.func.id == "tool" and stmt.value.args and isinstance(stmt.value.args[0], ast.Constant)):
            return None
        tool = self.task.tools.get(str(stmt.value.args[0].value))
        if tool is None or tool.policy is None or tool.policy.contract not in self.specs.contracts:
            return None
        policy = self.specs.contracts[tool.policy.contract]
        if not self.applies(policy) or any(_argument(stmt, n) is None for n in policy.inputs):
            return None
        return tool, policy


def _allowed(clause: str, tool: ToolSpec) -> ast.expr:
    """The clause with `result` the allowed answer: `implies(result == A, X)` with A allowed is X."""
    allows = tool.policy.allows  # type: ignore[union-attr]
    node = ast.parse(clause, mode="eval").body
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "implies" and len(node.args) == 2
            and ast.dump(node.args[0]) == ast.dump(ast.parse(f"{RESULT} == {allows!r}", mode="eval").body)):
        return node.args[1]
    return _Substitute({RESULT: ast.Constant(allows)}).visit(node)


def _over_arguments(condition: ast.expr, policy: Contract, write: ast.Assign) -> ast.expr:
    """The condition, written over the policy's inputs, written over the write's arguments."""
    return _Substitute({name: _argument(write, name) for name in policy.inputs}).visit(condition)  # type: ignore[misc]


def _argument(write: ast.Assign, name: str) -> ast.expr | None:
    call = write.value
    assert isinstance(call, ast.Call)
    return next((k.value for k in call.keywords if k.arg == name), None)


def _returns(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(s, ast.Return) for s in stmts)


def _fresh(stem: str, names: set[str]) -> str:
    name, number = stem, 1
    while name in names:
        number += 1
        name = f"{stem}_{number}"
    names.add(name)
    return name


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: dict[str, ast.expr]):
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return copy.deepcopy(self.values[node.id]) if node.id in self.values and isinstance(node.ctx, ast.Load) else node
