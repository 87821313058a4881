"""The typed form of an agent program, as `parser.py` builds it and the verifier, the
interpreter and the proposers read it.

Expressions are the contract language's typed IR (`evoforge.contracts.ir`), so a program's
glue compiles to Z3 and to Python from one tree, exactly as contract clauses do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Union

from evoforge.contracts import ir
from evoforge.contracts.model import Contract

# Keyword arguments of `call(...)` that shape the model's input but are not contract inputs.
# They never enter a proof: a model enters a proof only through its contract.
from evoforge.contracts.shaping import SHAPING_KEYS  # noqa: F401  (re-exported for the parser)
from evoforge.contracts.tools import ToolSpec
from evoforge.contracts.types import BoolType, EnumType, IntType, RealType, Type


@dataclass(frozen=True)
class Param:
    """A declared, bounded parameter: `int`/`real` in [low, high], `bool`, or a choice of strings."""

    name: str
    type: Type
    line: int
    low: Any = None
    high: Any = None
    default: Any = None

    @property
    def choices(self) -> tuple[str, ...]:
        return self.type.values if isinstance(self.type, EnumType) else ()

    def describe(self) -> str:
        if isinstance(self.type, (IntType, RealType)):
            return f"{self.name}: {self.type} in [{_show(self.low)}, {_show(self.high)}]"
        if isinstance(self.type, BoolType):
            return f"{self.name}: bool"
        return f"{self.name}: one of {len(self.choices)} choices"


def _show(value: Any) -> str:
    return str(int(value)) if isinstance(value, Fraction) and value.denominator == 1 else str(value)


@dataclass(frozen=True)
class Assign:
    line: int
    target: str
    value: ir.Node


@dataclass(frozen=True)
class GuardedCall:
    """`target = call("contract", name=expr, ...)`: a guarded model call (an FGGM call)."""

    line: int
    target: str
    contract: Contract
    args: tuple[tuple[str, ir.Node], ...]
    shaping: tuple[tuple[str, ir.Node], ...] = ()


@dataclass(frozen=True)
class ToolCall:
    """`target = tool("name", arg=expr, ...)`: a domain tool, run by the kernel. Its result is
    any value of the tool's declared output type; nothing more is assumed of it."""

    line: int
    target: str
    tool: ToolSpec
    args: tuple[tuple[str, ir.Node], ...]
    policy: Contract | None = None  # the proven contract every call of a policy-held write must satisfy


@dataclass(frozen=True)
class If:
    line: int
    condition: ir.Node
    then: tuple["Stmt", ...]
    otherwise: tuple["Stmt", ...]


@dataclass(frozen=True)
class ForEach:
    """`for var in items:` over a bounded list, or `for var in range(count):` with a static bound."""

    line: int
    var: str
    items: ir.Node | None  # a list expression, or None for range
    count: ir.Node | None  # the range's argument
    bound: int  # the most iterations the loop can make
    body: tuple["Stmt", ...]


@dataclass(frozen=True)
class Return:
    line: int
    value: ir.Node


Stmt = Union[Assign, GuardedCall, ToolCall, If, ForEach, Return]


@dataclass(frozen=True)
class Program:
    """A parsed, type-checked agent program for one task specification."""

    source: str
    task: str
    inputs: dict[str, Type]
    result: Type
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    calls: tuple[str, ...] = field(default=())  # the contracts it calls, in order of appearance

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}
