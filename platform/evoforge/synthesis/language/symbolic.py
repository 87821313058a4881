"""Symbolic execution of an agent program into Z3 proof obligations (assume-guarantee).

Each path through the program (branches forked, bounded loops unrolled) carries the facts
known on it: the branch conditions taken and, for every guarded call, a fresh output value
constrained by the contract's `ensure` (the guard makes that assumption true at run time).
A domain tool's result is a fresh value constrained only by the tool's declared output type
(list bounds, enum membership), so a proof holds whatever the tool returns. Three kinds of
obligation arise: at a call, its `require` must hold; at a return, the task's Psi must hold
of the result; wherever an expression indexes or reads an optional field, that it is defined
("defined", see contracts/to_z3.py's Safety). Parameters used in the program's own code are free Z3 values
within their bounds; parameters that only shape a model's input are never translated.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterator

import z3

from evoforge.contracts import ir
from evoforge.contracts.model import RESULT, Clause
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.to_z3 import Compiler, Safety
from evoforge.contracts.z3_values import Sym, constant, declare, well_typed
from evoforge.contracts.types import EnumType, IntType, RealType, Type
from evoforge.synthesis.language.program import Assign, ForEach, GuardedCall, If, Param, Program, Return, Stmt, ToolCall


@dataclass(frozen=True)
class SymCall:
    """A guarded call's or a tool call's symbolic inputs and result on one path."""

    line: int
    name: str  # the contract or the tool
    args: dict[str, Sym]
    arg_types: dict[str, Type]
    output: Sym
    output_type: Type


@dataclass
class PathState:
    env: dict[str, Sym]
    facts: list[z3.BoolRef] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    calls: list[SymCall] = field(default_factory=list)
    tools: list[SymCall] = field(default_factory=list)
    reads: list[Safety] = field(default_factory=list)  # indexes and optional fields met, not yet put as obligations

    def fork(self, condition: z3.BoolRef, step: str | None = None) -> "PathState":
        path = [*self.path, step] if step else list(self.path)
        return PathState(dict(self.env), [*self.facts, condition], path, list(self.calls), list(self.tools))


@dataclass(frozen=True)
class Obligation:
    """Under `state.facts`, every term in `goals` must hold; `clauses` name them for reports."""

    kind: str  # "require" (of a call) | "policy" (of a write) | "ensure" (the task's Psi at a return) | "defined" (an index, an optional field)
    line: int
    state: PathState
    goals: tuple[z3.BoolRef, ...]
    clauses: tuple[str, ...]
    result: Sym | None = None
    texts: tuple[str, ...] = ()  # a policy's clause texts, goal by goal, for the repair move


class PathLimit(Exception):
    """The program has more paths than the verifier explores."""


@dataclass(frozen=True)
class _Iteration:
    """A marker in the work list: the loop's `index`-th iteration is next."""

    loop: ForEach
    index: int
    items: Sym | None


def proof_params(program: Program) -> set[str]:
    """The parameters the program's own code reads (shaping options excluded)."""
    declared = {p.name for p in program.params}
    used: set[str] = set()

    def nodes(stmts: tuple[Stmt, ...]) -> Iterator[ir.Node]:
        for stmt in stmts:
            if isinstance(stmt, (Assign, Return)):
                yield stmt.value
            elif isinstance(stmt, (GuardedCall, ToolCall)):
                yield from (node for _, node in stmt.args)
            elif isinstance(stmt, If):
                yield stmt.condition
                yield from nodes(stmt.then)
                yield from nodes(stmt.otherwise)
            elif isinstance(stmt, ForEach):
                yield from (n for n in (stmt.items, stmt.count) if n is not None)
                yield from nodes(stmt.body)

    for node in nodes(program.body):
        used |= _variables(node) & declared
    return used


def _variables(node: ir.Node) -> set[str]:
    return {n.name for n in ir.walk(node) if isinstance(n, ir.Var)}


def declare_param(param: Param) -> tuple[Sym, list[z3.BoolRef]]:
    value, constraints = declare(param.name, param.type)
    if isinstance(param.type, (IntType, RealType)):
        constraints += [constant(param.low, param.type) <= value, value <= constant(param.high, param.type)]
    elif isinstance(param.type, EnumType):
        constraints += well_typed(value, param.type)
    return value, constraints


class Explorer:
    """Walks every path of `program`, yielding its obligations; `max_paths` caps the walk."""

    def __init__(self, program: Program, task: TaskSpec, env: dict[str, Sym], max_paths: int,
                 feasible: Callable[[list[z3.BoolRef]], bool]):
        # `feasible(facts)` is False only when the facts surely contradict: such branches are skipped.
        self.program, self.task, self.max_paths, self.feasible = program, task, max_paths, feasible
        self.root = PathState(env)
        self.paths = 0
        self._fresh = 0

    def obligations(self) -> Iterator[Obligation]:
        yield from self._run(list(self.program.body), self.root)

    def _run(self, todo: list, state: PathState) -> Iterator[Obligation]:
        while todo:
            stmt = todo.pop(0)
            if isinstance(stmt, Assign):
                state.env[stmt.target] = self._term(stmt.value, state)
                yield from self._defined(stmt.line, state)
            elif isinstance(stmt, GuardedCall):
                yield from self._call(stmt, state)
            elif isinstance(stmt, ToolCall):
                yield from self._tool(stmt, state)
            elif isinstance(stmt, Return):
                obligation = self._return(stmt, state)
                yield from self._defined(stmt.line, state)
                yield obligation
                return
            elif isinstance(stmt, If):
                condition = self._term(stmt.condition, state)
                yield from self._defined(stmt.line, state)
                yield from self._branch([*stmt.then, *todo], state.fork(condition, f"line {stmt.line}: then"))
                yield from self._branch([*stmt.otherwise, *todo], state.fork(z3.Not(condition), f"line {stmt.line}: else"))
                return
            elif isinstance(stmt, ForEach):
                items = self._term(stmt.items, state) if stmt.items is not None else None
                yield from self._defined(stmt.line, state)
                todo.insert(0, _Iteration(stmt, 0, items))
            else:
                yield from self._iterate(stmt, todo, state)
                return

    def _iterate(self, step: _Iteration, todo: list, state: PathState) -> Iterator[Obligation]:
        loop, i = step.loop, step.index
        if i >= loop.bound:
            state.path.append(f"line {loop.line}: {i} iteration(s)")
            yield from self._run(todo, state)
            return
        limit = step.items.length if step.items is not None else self._term(loop.count, state)  # type: ignore[union-attr, arg-type]
        stop = state.fork(limit <= i, f"line {loop.line}: {i} iteration(s)")
        yield from self._branch(list(todo), stop)
        go = state.fork(limit > i)  # the stopping step names the count, so iterations add no step
        go.env[loop.var] = step.items.items[i] if step.items is not None else z3.IntVal(i)  # type: ignore[union-attr]
        yield from self._branch([*loop.body, _Iteration(loop, i + 1, step.items), *todo], go)

    def _branch(self, todo: list, state: PathState) -> Iterator[Obligation]:
        if self.feasible(state.facts):
            yield from self._run(todo, state)

    def _call(self, stmt: GuardedCall, state: PathState) -> Iterator[Obligation]:
        contract = stmt.contract
        args = {name: self._term(node, state) for name, node in stmt.args}
        yield from self._defined(stmt.line, state)
        scope = Compiler(args)
        yield Obligation("require", stmt.line, replace(state, facts=list(state.facts)),
                         tuple(scope.term(c.node) for c in contract.require), tuple(_label(c) for c in contract.require))
        self._fresh += 1
        output, typing = declare(f"{contract.name}@{stmt.line}#{self._fresh}", contract.output)
        ensured = Compiler({**args, RESULT: output})
        state.facts += [*typing, *(ensured.term(c.node) for c in contract.ensure)]
        state.calls.append(SymCall(stmt.line, contract.name, args, dict(contract.inputs), output, contract.output))
        state.env[stmt.target] = output

    def _tool(self, stmt: ToolCall, state: PathState) -> Iterator[Obligation]:
        tool = stmt.tool
        args = {name: self._term(node, state) for name, node in stmt.args}
        yield from self._defined(stmt.line, state)
        if stmt.policy is not None:
            yield self._policy(stmt, args, state)
        self._fresh += 1
        output, typing = declare(f"tool {tool.name}@{stmt.line}#{self._fresh}", tool.output)
        state.facts += typing  # the declared type, and nothing more
        state.tools.append(SymCall(stmt.line, tool.name, args, dict(tool.inputs), output, tool.output))
        state.env[stmt.target] = output

    def _policy(self, stmt: ToolCall, args: dict[str, Sym], state: PathState) -> Obligation:
        """A policy-held write: its contract's require, and its ensure with `result` the allowed answer."""
        contract, allows = stmt.policy, stmt.tool.policy.allows  # type: ignore[union-attr]
        assert contract is not None
        scope = Compiler({**{n: args[n] for n in contract.inputs}, RESULT: constant(allows, contract.output)})
        clauses = [*contract.require, *contract.ensure]
        return Obligation("policy", stmt.line, replace(state, facts=list(state.facts)), tuple(scope.term(c.node) for c in clauses),
                          tuple(f"policy {contract.name}: {_label(c)}" for c in clauses), texts=tuple(c.text for c in clauses))

    def _return(self, stmt: Return, state: PathState) -> Obligation:
        self.paths += 1
        if self.paths > self.max_paths:
            raise PathLimit(f"the program has more than {self.max_paths} paths")
        value = self._term(stmt.value, state)
        inputs = {name: state.env[name] for name in self.task.inputs}
        psi = Compiler({**inputs, RESULT: value})
        goals = [z3.And(well_typed(value, self.task.result) or [z3.BoolVal(True)])]
        goals += [psi.term(c.node) for c in self.task.ensure]
        labels = (f"the result is a valid {self.task.result}", *(_label(c) for c in self.task.ensure))
        return Obligation("ensure", stmt.line, state, tuple(goals), labels, value)

    def _term(self, node: ir.Node, state: PathState) -> Sym:
        compiler = Compiler(state.env)
        term = compiler.term(node)
        state.reads += compiler.safety
        return term

    def _defined(self, line: int, state: PathState) -> Iterator[Obligation]:
        """The obligation that the indexes and optional fields the statement reads are defined."""
        reads, state.reads = state.reads, []
        if reads:
            goals = tuple(z3.Implies(read.context, read.defined) for read in reads)
            yield Obligation("defined", line, replace(state, facts=list(state.facts)), goals, tuple(f"`{r.text}` when {r.what}" for r in reads))


def _label(clause: Clause) -> str:
    return f"`{clause.text}` (line {clause.line})"
