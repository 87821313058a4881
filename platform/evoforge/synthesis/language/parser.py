"""Reads an agent program (a restricted Python subset, see docs/synthesis.md) with `ast` and
type-checks it against its task specification and the run's proven contracts.

The text is parsed, never executed. Every problem is a `ProgramError` naming the line.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from evoforge.contracts import ContractUnavailable, SpecSet
from evoforge.contracts.expressions import ExprError, parse_expression
from evoforge.contracts.model import Contract
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.tools import ToolSpec
from evoforge.contracts.types import BOOL, INT, REAL, STR, EnumType, ListType, Type, ValueTypeError, assignable, exact_real, is_stringlike
from evoforge.contracts.z3_strings import unrepresentable
from evoforge.errors import EvoforgeError
from evoforge.synthesis.language.program import (
    SHAPING_KEYS,
    Assign,
    ForEach,
    GuardedCall,
    If,
    Param,
    Program,
    Return,
    Stmt,
    ToolCall,
)

ENTRY = "solve"
MAX_RANGE = 64
_SHAPING_TYPES = {"_prefix": STR, "_temperature": REAL}


class ProgramError(EvoforgeError):
    """A program that does not parse or type-check; the message names the line."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"program line {line}: {message}")


@dataclass
class _Block:
    """What a block leaves behind: the variables surely assigned, and whether it always returns."""

    scope: dict[str, Type]
    returns: bool = False


def parse_program(source: str, task: TaskSpec, specs: SpecSet) -> Program:
    """The typed `Program` for `source`, or a `ProgramError` naming the offending line."""
    try:
        module = ast.parse(source)
    except SyntaxError as error:
        raise ProgramError(error.lineno or 1, f"syntax error: {error.msg}") from None
    return _Parser(source, task, specs).module(module)


class _Parser:
    def __init__(self, source: str, task: TaskSpec, specs: SpecSet):
        self.source, self.task, self.specs = source, task, specs
        self.params: dict[str, Param] = {}
        self.calls: list[str] = []

    # -- module level ------------------------------------------------------------------------
    def module(self, module: ast.Module) -> Program:
        entry = None
        for index, node in enumerate(module.body):
            if index == 0 and _is_docstring(node):
                continue
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                self._param(node)
            elif isinstance(node, ast.FunctionDef) and node.name == ENTRY and entry is None:
                entry = node
            else:
                raise ProgramError(node.lineno, f"only parameter declarations (NAME = param_int(...)) and one `def {ENTRY}(...)` may stand at the top level")
        if entry is None:
            raise ProgramError(1, f"the program needs a function `def {ENTRY}({', '.join(self.task.inputs)}):`")
        self._signature(entry)
        scope = {**self.task.inputs, **{p.name: p.type for p in self.params.values()}}
        body = entry.body[1:] if entry.body and _is_docstring(entry.body[0]) else entry.body
        stmts, block = self.block(body, _Block(dict(scope)))
        if not block.returns:
            raise ProgramError(entry.body[-1].end_lineno or entry.lineno, f"{ENTRY}() can reach its end without a return")
        return Program(
            source=self.source, task=self.task.name, inputs=dict(self.task.inputs), result=self.task.result,
            params=tuple(self.params.values()), body=stmts, calls=tuple(dict.fromkeys(self.calls)),
        )

    def _signature(self, entry: ast.FunctionDef) -> None:
        args = entry.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults or entry.decorator_list:
            raise ProgramError(entry.lineno, f"{ENTRY}() takes plain arguments only: the task's inputs")
        names = [a.arg for a in args.args]
        if sorted(names) != sorted(self.task.inputs):
            raise ProgramError(entry.lineno, f"{ENTRY}() must take exactly the inputs of task '{self.task.name}': {', '.join(self.task.inputs)}")
        clash = [n for n in names if n in self.params]
        if clash:
            raise ProgramError(entry.lineno, f"parameter {clash[0]!r} has the name of an input")

    def _param(self, node: ast.Assign) -> None:
        call = node.value
        assert isinstance(call, ast.Call)
        kind = call.func.id if isinstance(call.func, ast.Name) else ""
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name) or not kind.startswith("param_"):
            raise ProgramError(node.lineno, "a parameter is declared as NAME = param_int(LOW, HIGH), param_real(LOW, HIGH), param_bool() or param_choice(\"a\", \"b\", ...)")
        name = node.targets[0].id
        if name in self.params:
            raise ProgramError(node.lineno, f"parameter {name!r} is declared twice")
        args = [_constant(a, node.lineno) for a in call.args]
        keywords = {k.arg: _constant(k.value, node.lineno) for k in call.keywords}
        if set(keywords) - {"default"}:
            raise ProgramError(node.lineno, "parameter declarations take only a `default=` keyword")
        self.params[name] = _make_param(kind, name, args, keywords.get("default"), node.lineno)

    # -- statements --------------------------------------------------------------------------
    def block(self, nodes: list[ast.stmt], state: _Block) -> tuple[tuple[Stmt, ...], _Block]:
        stmts: list[Stmt] = []
        for node in nodes:
            if state.returns:
                raise ProgramError(node.lineno, "unreachable statement after return")
            stmt = self.statement(node, state)
            if stmt is not None:
                stmts.append(stmt)
        return tuple(stmts), state

    def statement(self, node: ast.stmt, state: _Block) -> Stmt | None:
        if isinstance(node, ast.Pass):
            return None
        if isinstance(node, ast.Assign):
            return self._assign(node, state)
        if isinstance(node, ast.Return):
            return self._return(node, state)
        if isinstance(node, ast.If):
            return self._if(node, state)
        if isinstance(node, ast.For):
            return self._for(node, state)
        hint = " (use `for` over a bounded list or range(N))" if isinstance(node, ast.While) else ""
        raise ProgramError(node.lineno, f"`{type(node).__name__}` statements are not part of the program language{hint}")

    def _assign(self, node: ast.Assign, state: _Block) -> Stmt:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise ProgramError(node.lineno, "assign to one plain name: NAME = EXPRESSION")
        target = node.targets[0].id
        if target in self.task.inputs or target in self.params:
            raise ProgramError(node.lineno, f"{target!r} is an input or a parameter and cannot be assigned")
        if _is_call(node.value, "call"):
            stmt: Stmt = self._guarded_call(node.lineno, target, node.value, state)
            value_type = stmt.contract.output
        elif _is_call(node.value, "tool"):
            stmt = self._tool_call(node.lineno, target, node.value, state)
            value_type = stmt.tool.output
        else:
            value = self.expr(node.value, state, node.lineno)
            stmt, value_type = Assign(node.lineno, target, value), value.type
        previous = state.scope.get(target)
        if previous is not None and not assignable(value_type, previous):
            raise ProgramError(node.lineno, f"{target!r} has type {previous}; a {value_type} cannot be assigned to it")
        state.scope[target] = previous or value_type
        return stmt

    def _guarded_call(self, line: int, target: str, call: ast.Call, state: _Block) -> GuardedCall:
        name = _callee(line, call, "call", "contract")
        allowed = self.task.contracts
        if allowed is not None and name not in allowed:
            raise ProgramError(line, f"task '{self.task.name}' allows calls to {', '.join(allowed) or 'no contract'}, not {name!r}")
        try:
            contract = self.specs.get(name)
        except ContractUnavailable as error:
            raise ProgramError(line, str(error)) from None
        extra = f"shaping options: {', '.join(SHAPING_KEYS)}"
        args = self._arguments(line, f"call to {name!r}", call, {**contract.inputs, **_SHAPING_TYPES}, contract.inputs, extra, state)
        self.calls.append(name)
        return GuardedCall(line, target, contract, tuple(a for a in args if a[0] in contract.inputs),
                           tuple(a for a in args if a[0] not in contract.inputs))

    def _tool_call(self, line: int, target: str, call: ast.Call, state: _Block) -> ToolCall:
        name = _callee(line, call, "tool", "tool")
        spec = self.task.tools.get(name)
        if spec is None and not self.task.tools:
            raise ProgramError(line, f"task '{self.task.name}' lists no tools, so {name!r} cannot be used (list it as tools = [...] in [tasks.{self.task.name}])")
        if spec is None:
            raise ProgramError(line, f"task '{self.task.name}' allows the tool(s) {', '.join(self.task.tools)}, not {name!r}")
        args = tuple(self._arguments(line, f"tool {name!r}", call, spec.inputs, spec.inputs, "", state))
        return ToolCall(line, target, spec, args, self._policy(line, spec))

    def _policy(self, line: int, spec: ToolSpec) -> Contract | None:
        """The proven contract a policy-held write is checked against; its inputs are the tool's."""
        if spec.policy is None:
            return None
        try:
            contract = self.specs.get(spec.policy.contract)
        except ContractUnavailable as error:
            raise ProgramError(line, f"tool {spec.name!r} is held to policy {spec.policy.contract!r}: {error}") from None
        wrong = [n for n, t in contract.inputs.items() if spec.inputs.get(n) != t]
        if wrong or not isinstance(contract.output, EnumType) or spec.policy.allows not in contract.output.values:
            raise ProgramError(line, f"tool {spec.name!r}: its policy {contract.name!r} must take inputs the tool takes "
                                     f"({', '.join(wrong) or 'ok'}) and answer an enum with {spec.policy.allows!r}")
        return contract

    def _arguments(self, line: int, what: str, call: ast.Call, accepted: dict[str, Type], required: dict[str, Type],
                   extra: str, state: _Block) -> list[tuple[str, Any]]:
        """The keyword arguments of a `call`/`tool`, each type-checked against `accepted`."""
        given = {k.arg: k.value for k in call.keywords if k.arg is not None}
        if len(given) != len(call.keywords):
            raise ProgramError(line, f"{what} takes keyword arguments only")
        missing = [n for n in required if n not in given]
        unknown = [n for n in given if n not in accepted]
        if missing or unknown:
            problem = f"missing input(s) {', '.join(missing)}" if missing else f"unknown input(s) {', '.join(unknown)}"
            raise ProgramError(line, f"{what}: {problem} (it takes {', '.join(required) or 'no inputs'}{'; ' + extra if extra else ''})")
        args = []
        for key, value in given.items():
            wanted = accepted[key]
            node = self.expr(value, state, line)
            if not (assignable(node.type, wanted) or (wanted == STR and is_stringlike(node.type))):
                raise ProgramError(line, f"{what}: {key} needs {wanted}, got {node.type}")
            args.append((key, node))
        return args

    def _return(self, node: ast.Return, state: _Block) -> Stmt:
        if node.value is None:
            raise ProgramError(node.lineno, f"return a value of type {self.task.result}")
        value = self.expr(node.value, state, node.lineno)
        # Loose: an enum from a string or a longer list is allowed, since the verifier proves it fits.
        if not assignable(value.type, self.task.result, loose=True):
            raise ProgramError(node.lineno, f"returns {value.type}, but task '{self.task.name}' returns {self.task.result}")
        state.returns = True
        return Return(node.lineno, value)

    def _if(self, node: ast.If, state: _Block) -> Stmt:
        condition = self.expr(node.test, state, node.lineno)
        if condition.type != BOOL:
            raise ProgramError(node.lineno, f"the condition of `if` must be bool, got {condition.type}")
        then, then_state = self.block(node.body, _Block(dict(state.scope)))
        otherwise, else_state = self.block(node.orelse, _Block(dict(state.scope)))
        live = [s for s in (then_state, else_state) if not s.returns]
        if not live:
            state.returns = True
        else:
            state.scope = _join([s.scope for s in live])
        return If(node.lineno, condition, then, otherwise)

    def _for(self, node: ast.For, state: _Block) -> Stmt:
        if node.orelse or not isinstance(node.target, ast.Name):
            raise ProgramError(node.lineno, "write loops as `for NAME in LIST:` or `for NAME in range(N):`, without else")
        var = node.target.id
        if var in state.scope:
            raise ProgramError(node.lineno, f"the loop variable {var!r} is already a name in scope")
        items = count = None
        if isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) and node.iter.func.id == "range":
            if len(node.iter.args) != 1 or node.iter.keywords:
                raise ProgramError(node.lineno, "range() takes one argument: range(N)")
            count, bound, item_type = self.expr(node.iter.args[0], state, node.lineno), self._range_bound(node.iter.args[0], node.lineno), INT
        else:
            items = self.expr(node.iter, state, node.lineno)
            if not isinstance(items.type, ListType):
                raise ProgramError(node.lineno, f"`for` iterates over a bounded list or range(N), got {items.type}")
            bound, item_type = items.type.max_len, items.type.item
        # Names first assigned in the body are not in scope after it: the loop may run zero times.
        body, _ = self.block(node.body, _Block({**state.scope, var: item_type}))
        return ForEach(node.lineno, var, items, count, bound, body)

    def _range_bound(self, node: ast.expr, line: int) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            bound = node.value
        elif isinstance(node, ast.Name) and node.id in self.params and self.params[node.id].type == INT:
            bound = int(self.params[node.id].high)
        else:
            raise ProgramError(line, "range() needs an int constant or an int parameter, so the loop has a known bound")
        if not 0 <= bound <= MAX_RANGE:
            raise ProgramError(line, f"range() bound must be 0..{MAX_RANGE}")
        return bound

    # -- expressions -------------------------------------------------------------------------
    def expr(self, node: ast.expr, state: _Block, line: int) -> Any:
        for kind in ("call", "tool"):
            if any(_is_call(n, kind) for n in ast.walk(node)):
                raise ProgramError(line, f"{kind}() must be the whole right-hand side of an assignment: NAME = {kind}(...)")
        try:
            return parse_expression(ast.unparse(node), state.scope, expected=None)
        except ExprError as error:
            raise ProgramError(line, str(error)) from None


def _join(scopes: list[dict[str, Type]]) -> dict[str, Type]:
    """The variables assigned on every live branch, each with a type all branches fit."""
    joined: dict[str, Type] = {}
    for name, t in scopes[0].items():
        others = [s.get(name) for s in scopes[1:]]
        if any(o is None for o in others):
            continue
        for other in others:
            if assignable(t, other):
                t = other
            elif not assignable(other, t):
                break
        else:
            joined[name] = t
    return joined


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_call(node: ast.AST, kind: str) -> bool:
    """Whether `node` is `kind(...)`: a guarded call ("call") or a tool call ("tool")."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == kind


def _callee(line: int, call: ast.Call, kind: str, what: str) -> str:
    """The contract or tool name, the one positional argument of `call(...)` / `tool(...)`."""
    if len(call.args) != 1 or not (isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        raise ProgramError(line, f'{kind}() takes the {what} name as a string, then keyword inputs: {kind}("NAME", x=...)')
    return call.args[0].value


def _constant(node: ast.expr, line: int) -> Any:
    try:
        value = ast.literal_eval(node)
    except ValueError:
        raise ProgramError(line, "parameter bounds, choices and defaults must be constants") from None
    if isinstance(value, float):
        try:
            return exact_real(value)
        except ValueTypeError as error:
            raise ProgramError(line, str(error)) from None
    return value


def _make_param(kind: str, name: str, args: list[Any], default: Any, line: int) -> Param:
    def number(value: Any, t: Type) -> bool:
        return not isinstance(value, bool) and isinstance(value, int if t == INT else (int, Fraction))

    if kind in ("param_int", "param_real"):
        t = INT if kind == "param_int" else REAL
        if len(args) != 2 or not all(number(a, t) for a in args) or args[0] > args[1]:
            raise ProgramError(line, f"{kind}(LOW, HIGH) needs two {t} constants with LOW <= HIGH")
        low, high = (Fraction(a) for a in args) if t == REAL else args
        chosen = low if default is None else default
        if not number(chosen, t) or not low <= chosen <= high:
            raise ProgramError(line, f"the default of {name!r} must be a {t} between {args[0]} and {args[1]}")
        return Param(name, t, line, low, high, Fraction(chosen) if t == REAL else chosen)
    if kind == "param_bool":
        if args or not isinstance(default if default is not None else False, bool):
            raise ProgramError(line, "param_bool() takes only default=True or default=False")
        return Param(name, BOOL, line, default=bool(default))
    if kind == "param_choice":
        if not args or not all(isinstance(a, str) for a in args) or len(set(args)) != len(args):
            raise ProgramError(line, "param_choice(\"a\", \"b\", ...) needs distinct string choices")
        problem = unrepresentable(*args)
        if problem is not None:
            raise ProgramError(line, f"param_choice(): {problem}")
        chosen = args[0] if default is None else default
        if chosen not in args:
            raise ProgramError(line, f"the default of {name!r} must be one of its choices")
        return Param(name, EnumType(tuple(args)), line, default=chosen)
    raise ProgramError(line, f"unknown declaration {kind}(); use param_int, param_real, param_bool or param_choice")
