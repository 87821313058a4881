"""The offline proposer: enumeration and mutation over the program grammar, no model needed.

A task's starting program (`start`), if it names one, comes first; a write its policy forbids
is repaired by guarding it (guard_write.py).

Enumeration builds, smallest first, programs that call one of the task's contracts with
arguments drawn from the task's inputs, the integer constants of the task's and contracts'
clauses, and fresh bounded parameters, then return the call's output (or a field of it) when
its type fits the task's result; then, for a task with tools, programs that bind a tool's
result (its arguments drawn the same way) and return it, a field of it, or a contract call's
output on it; then programs that are a single glue expression over the
inputs (or a constant of an enum or bool result). Feedback comes first: each counterexample yields a repair (guard the broken clause,
see repair.py) and, when it names parameters, a narrowing of their bounds; a verified
program with train failures gets a learnable prompt-variant parameter.
"""
from __future__ import annotations

import itertools
from typing import Iterator

from evoforge.contracts import ir
from evoforge.contracts.tools import ToolSpec
from evoforge.contracts.types import (
    BoolType,
    EnumType,
    IntType,
    RealType,
    RecordType,
    StrType,
    Type,
    assignable,
    is_numeric,
)
from evoforge.synthesis.search.guard_write import decide_write, guard_write
from evoforge.synthesis.search.mutate import add_prompt_variants, narrow_param
from evoforge.synthesis.search.proposing import Feedback, Problem, Proposal
from evoforge.synthesis.search.repair import guard_clause

MAX_ARGUMENT_CHOICES = 4  # per contract input, so enumeration stays small


class GrammarProposer:
    name = "grammar"

    # Stateless: the same feedback gives the same proposals, so a resumed run (a fresh proposer
    # over the archived feedback) proposes what the killed one would have. Everything already
    # tried is in `feedback.seen()`, so nothing is proposed twice.

    def propose(self, problem: Problem, feedback: Feedback, count: int) -> list[Proposal]:
        seen = feedback.seen()
        out: list[Proposal] = []

        def offer(proposal: Proposal | None) -> None:
            if proposal is not None and proposal.source not in seen and len(out) < count:
                seen.add(proposal.source)
                out.append(proposal)

        if problem.task.start is not None:
            offer(Proposal(problem.task.start, "start"))
        for source, example in feedback.counterexamples:  # a forbidden write first: it is the one safety breach
            if example.kind == "policy" and example.clause:
                decided = decide_write(source, problem.task, problem.specs)
                offer(decided and Proposal(decided, "repair:ask the policy", source))
                guarded = guard_write(source, problem.task, problem.specs, example.clause)
                offer(guarded and Proposal(guarded, "repair:guard the write", source))
        for source, example in feedback.counterexamples:
            if example.kind == "ensure" and example.clause:
                repaired = guard_clause(source, problem.task, example.clause)
                offer(repaired and Proposal(repaired, "repair", source))
            for name, value in example.params.items():
                for narrowed in narrow_param(source, name, value):
                    offer(Proposal(narrowed, f"mutate:narrow {name}", source))
        failing = {f.source for f in feedback.failures}
        for source in feedback.verified:
            if source in failing:
                varied = add_prompt_variants(source)
                offer(varied and Proposal(varied, "mutate:prompt variants", source))
        for source in enumerate_programs(problem):
            if len(out) >= count:
                break
            offer(Proposal(source, "enumerate"))
        return out


def enumerate_programs(problem: Problem) -> Iterator[str]:
    task = problem.task
    constants = _int_constants(problem)
    signature = f"def solve({', '.join(task.inputs)}):\n"
    for contract in problem.contracts():
        for returned in _projections(contract.output, task.result, "answer"):
            for params, args in _argument_sets(contract.inputs, task.inputs, constants):
                header = "".join(f"{line}\n" for line in params)
                yield f'{header}{signature}    answer = call("{contract.name}", {_keywords(args)})\n    return {returned}\n'
    for tool in task.tools.values():
        yield from _tool_programs(problem, tool, signature, constants)
    for expression in _glue(task.inputs, task.result, constants):
        yield f"{signature}    return {expression}\n"


def _tool_programs(problem: Problem, tool: ToolSpec, signature: str, constants: list[int]) -> Iterator[str]:
    """Programs that bind `info = tool(...)`, then return it (or a field of it), or pass it (or
    a field of it) to a contract call and return that call's output."""
    task = problem.task
    known = {**task.inputs, **{text: t for text, t in _fields("info", tool.output)}}
    for tool_params, tool_args in _argument_sets(tool.inputs, task.inputs, constants):
        bind = f'    info = tool("{tool.name}", {_keywords(tool_args)})\n'
        for returned in _projections(tool.output, task.result, "info"):
            yield "".join(f"{line}\n" for line in tool_params) + signature + bind + f"    return {returned}\n"
        for contract in problem.contracts():
            for returned in _projections(contract.output, task.result, "answer"):
                for params, args in _argument_sets(contract.inputs, known, constants):
                    if not any(text == "info" or text.startswith("info.") for _, text in args):
                        continue  # without the tool's result: enumerated above already
                    header = "".join(f"{line}\n" for line in dict.fromkeys([*tool_params, *params]))
                    yield f'{header}{signature}{bind}    answer = call("{contract.name}", {_keywords(args)})\n    return {returned}\n'


def _keywords(args: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name}={value}" for name, value in args)


def _fields(name: str, t: Type) -> list[tuple[str, Type]]:
    """`name` itself and, for a record, each of its fields: the texts a program may read."""
    return [(name, t), *((f"{name}.{field}", ft) for field, ft in (t.fields if isinstance(t, RecordType) else ()))]


def _projections(output: Type, result: Type, name: str) -> list[str]:
    return [text for text, t in _fields(name, output) if assignable(t, result, loose=True)]


def _argument_sets(wanted_inputs: dict[str, Type], inputs: dict[str, Type], constants: list[int]) -> Iterator[tuple[list[str], list[tuple[str, str]]]]:
    """(parameter declarations, argument texts) for filling a contract's or a tool's inputs
    from the names (or field texts) in `inputs`."""
    options: list[list[tuple[str | None, str]]] = []
    for name, wanted in wanted_inputs.items():
        choices: list[tuple[str | None, str]] = [(None, n) for n, t in sorted(inputs.items(), key=lambda kv: kv[0] != name) if assignable(t, wanted)]
        if isinstance(wanted, (IntType, RealType)):
            low, high = (min(constants), max(constants)) if constants else (0, 0)
            kind = "param_int" if isinstance(wanted, IntType) else "param_real"
            choices += [(None, str(c)) for c in constants]
            choices.append((f"{name}_p = {kind}({low}, {high})", f"{name}_p"))
        elif isinstance(wanted, EnumType):
            choices += [(None, repr(v)) for v in wanted.values]
        elif isinstance(wanted, BoolType):
            choices += [(None, "True"), (None, "False")]
        elif isinstance(wanted, StrType) and not choices:
            choices.append((None, '""'))
        if not choices:
            return  # an input no argument can fill (a record or list the task does not have)
        options.append(choices[:MAX_ARGUMENT_CHOICES] + choices[-1:] * (len(choices) > MAX_ARGUMENT_CHOICES))
    for combination in itertools.product(*options):
        params = [p for p, _ in combination if p]
        yield params, list(zip(wanted_inputs, (text for _, text in combination)))


def _glue(inputs: dict[str, Type], result: Type, constants: list[int]) -> Iterator[str]:
    """Single expressions over the inputs that have the result's type, smallest first."""
    names = [n for n, t in inputs.items() if assignable(t, result)]
    yield from names
    if isinstance(result, EnumType):  # a constant answer: repairs then add the checks Psi asks for
        yield from (repr(value) for value in result.values)
    elif isinstance(result, BoolType):
        yield from ("True", "False")
    if is_numeric(result):
        numeric = [n for n, t in inputs.items() if is_numeric(t)]
        yield from (str(c) for c in constants)
        for a, b in itertools.product(numeric, repeat=2):
            for op in ("+", "-", "*"):
                yield f"{a} {op} {b}"


def _int_constants(problem: Problem) -> list[int]:
    """The integer constants of the clauses: the task's Psi first (its bounds are the likeliest
    useful arguments), in the order written, then the rest smallest first."""
    first: list[int] = []
    for clause in problem.task.ensure:
        first += _ints(clause.node)
    rest: list[int] = []
    for clause in [*problem.task.require, *(c for k in problem.contracts() for c in [*k.require, *k.ensure])]:
        rest += _ints(clause.node)
    return list(dict.fromkeys([*first, *sorted(set(rest), key=lambda c: (abs(c), c))]))


def _ints(node: ir.Node) -> list[int]:
    found: list[int] = []
    for n in ir.walk(node):
        if isinstance(n, ir.Unary) and n.op == "neg" and isinstance(n.operand, ir.Const) and type(n.operand.value) is int:
            found.append(-n.operand.value)
        elif isinstance(n, ir.Const) and type(n.value) is int:
            found.append(n.value)
    return found
