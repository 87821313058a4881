"""Runs an agent program on concrete inputs and parameter values.

Every model call goes through a `Generate` callable (the guard in-process, or the sandbox
channel) and every tool call through a `Tools` callable (a task's tool session), so the
interpreter itself never reaches a model or a tool. A tool's result is held to its declared
output type: one that does not fit fails the run instead of flowing on. Expressions are compiled from the
same typed tree the verifier translates to Z3 (`evoforge.contracts.to_python`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from evoforge.contracts import ir
from evoforge.contracts.to_python import compile_value
from evoforge.contracts.types import IntType, RealType, ValueTypeError, conform, to_plain
from evoforge.errors import EvoforgeError
from evoforge.synthesis.language.program import Assign, ForEach, GuardedCall, If, Program, Return, Stmt, ToolCall


class Generate(Protocol):
    """A guarded model call: returns an output satisfying `contract`'s ensure for `inputs`.

    `shaping` holds the call's input-shaping options (`_prefix`, `_temperature`); an
    implementation may apply them or not, but never lets them weaken the contract.
    """

    def __call__(self, contract: str, inputs: dict[str, Any], shaping: dict[str, Any]) -> Any: ...


class Tools(Protocol):
    """A domain tool call: the tool's result (any value; the interpreter checks its type), or a
    `ProgramFailure` saying why the tool gave none."""

    def __call__(self, name: str, arguments: dict[str, Any]) -> Any: ...


class ProgramFailure(EvoforgeError):
    """A program could not run to its end (bad inputs or parameters, a refused call)."""


@dataclass
class Trace:
    """What one run did: the result, the branches taken, every guarded call and tool call."""

    output: Any
    path: list[str] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)  # {"line", "tool", "inputs", "output"}


class _Returned(Exception):
    def __init__(self, value: Any):
        self.value = value


def check_params(program: Program, params: dict[str, Any]) -> dict[str, Any]:
    """Parameter values conformed to their declared types and bounds (defaults fill gaps)."""
    unknown = sorted(set(params) - {p.name for p in program.params})
    if unknown:
        raise ProgramFailure(f"unknown parameter(s) {', '.join(unknown)} (declared: {', '.join(p.name for p in program.params) or 'none'})")
    values = {}
    for param in program.params:
        try:
            value = conform(params.get(param.name, param.default), param.type, param.name)
        except ValueTypeError as error:
            raise ProgramFailure(f"parameter {error}") from None
        if isinstance(param.type, (IntType, RealType)) and not param.low <= value <= param.high:
            raise ProgramFailure(f"parameter {param.describe()} cannot be {to_plain(value)}")
        values[param.name] = value
    return values


class Interpreter:
    """Runs one program; build it once and call `run` per task (expressions compile once)."""

    def __init__(self, program: Program):
        self.program = program
        self._names = sorted(_names(program))
        self._compiled: dict[int, Callable[..., Any]] = {}

    def run(self, inputs: dict[str, Any], params: dict[str, Any], generate: Generate, tools: Tools | None = None) -> Trace:
        program = self.program
        try:
            env = {n: conform(inputs[n], t, n) for n, t in program.inputs.items()}
        except (KeyError, ValueTypeError) as error:
            raise ProgramFailure(f"task inputs do not fit task '{program.task}': {error}") from None
        env.update(check_params(program, params))
        trace = Trace(output=None)
        try:
            self._block(program.body, env, _Run(trace, generate, tools))
        except _Returned as returned:
            try:
                trace.output = conform(returned.value, program.result, "result")
            except ValueTypeError as error:  # the verifier rules this out for proven programs
                raise ProgramFailure(f"the program's result is not a valid {program.result}: {error}") from None
            return trace
        raise ProgramFailure("the program ended without a return")  # the parser rules this out

    def value(self, node: ir.Node, env: dict[str, Any]) -> Any:
        function = self._compiled.get(id(node))
        if function is None:
            function = self._compiled[id(node)] = compile_value(f"program {self.program.task}", self._names, node)
        return function(env)

    def _block(self, stmts: tuple[Stmt, ...], env: dict[str, Any], run: "_Run") -> None:
        for stmt in stmts:
            if isinstance(stmt, Assign):
                env[stmt.target] = self.value(stmt.value, env)
            elif isinstance(stmt, GuardedCall):
                env[stmt.target] = self._call(stmt, env, run)
            elif isinstance(stmt, ToolCall):
                env[stmt.target] = self._tool(stmt, env, run)
            elif isinstance(stmt, If):
                taken = bool(self.value(stmt.condition, env))
                run.trace.path.append(f"line {stmt.line}: {'then' if taken else 'else'}")
                self._block(stmt.then if taken else stmt.otherwise, env, run)
            elif isinstance(stmt, ForEach):
                self._loop(stmt, env, run)
            elif isinstance(stmt, Return):
                raise _Returned(self.value(stmt.value, env))

    def _loop(self, stmt: ForEach, env: dict[str, Any], run: "_Run") -> None:
        if stmt.items is not None:
            items = list(self.value(stmt.items, env))
        else:
            items = list(range(min(max(self.value(stmt.count, env), 0), stmt.bound)))  # type: ignore[arg-type]
        run.trace.path.append(f"line {stmt.line}: {len(items)} iteration(s)")
        for item in items:
            env[stmt.var] = item
            self._block(stmt.body, env, run)

    def _call(self, stmt: GuardedCall, env: dict[str, Any], run: "_Run") -> Any:
        contract = stmt.contract
        inputs = {name: self.value(node, env) for name, node in stmt.args}
        shaping = {name: self.value(node, env) for name, node in stmt.shaping}
        raw = run.generate(contract.name, inputs, shaping)
        try:
            output = conform(raw, contract.output, f"the output of {contract.name}")
        except ValueTypeError as error:
            raise ProgramFailure(f"line {stmt.line}: {error}") from None
        run.trace.calls.append({"line": stmt.line, "contract": contract.name, "inputs": to_plain(inputs), "output": to_plain(output)})
        return output

    def _tool(self, stmt: ToolCall, env: dict[str, Any], run: "_Run") -> Any:
        name = stmt.tool.name
        if run.tools is None:
            raise ProgramFailure(f"line {stmt.line}: tool {name!r}: this run has no tools (the domain gives none)")
        arguments = {key: self.value(node, env) for key, node in stmt.args}
        try:
            output = conform(run.tools(name, arguments), stmt.tool.output, f"the result of tool {name}")
        except ValueTypeError as error:  # never a wrong answer: the proof assumed the declared type
            raise ProgramFailure(f"line {stmt.line}: {error} (declared output: {stmt.tool.output})") from None
        except ProgramFailure as error:  # the tool gave no result
            raise ProgramFailure(f"line {stmt.line}: {error}") from None
        run.trace.tools.append({"line": stmt.line, "tool": name, "inputs": to_plain(arguments), "output": to_plain(output)})
        return output


@dataclass
class _Run:
    """One run's trace and the callables that answer its model and tool calls."""

    trace: Trace
    generate: Generate
    tools: Tools | None


def _names(program: Program) -> set[str]:
    """Every name a program's expressions may read: inputs, parameters, locals, loop variables."""
    names = set(program.inputs) | {p.name for p in program.params}

    def visit(stmts: tuple[Stmt, ...]) -> None:
        for stmt in stmts:
            if isinstance(stmt, (Assign, GuardedCall, ToolCall)):
                names.add(stmt.target)
            elif isinstance(stmt, If):
                visit(stmt.then)
                visit(stmt.otherwise)
            elif isinstance(stmt, ForEach):
                names.add(stmt.var)
                visit(stmt.body)

    visit(program.body)
    return names


def run_program(program: Program, inputs: dict[str, Any], params: dict[str, Any], generate: Generate,
                tools: Tools | None = None) -> Trace:
    """One run of `program`; see `Interpreter` to run many tasks without recompiling."""
    return Interpreter(program).run(inputs, params, generate, tools)
