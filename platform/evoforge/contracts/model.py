"""A compiled contract: typed signature, clauses, prompt, parser, fallback and proof status."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from evoforge.contracts import ir
from evoforge.contracts.outcome import Proof
from evoforge.contracts.types import Type
from evoforge.errors import EvoforgeError
from evoforge.models.base import Sampling

RESULT = "result"  # the name of the model's output inside `ensure` clauses


@dataclass(frozen=True)
class Clause:
    """One constraint (or the fallback expression) with where it was written."""

    text: str
    node: ir.Node
    line: int
    message: str | None = None

    def describe(self) -> str:
        """The clause in words, for retry feedback and error messages."""
        return self.message or f"the condition `{self.text}` must hold"


class ClauseChecks:
    """Run-time checks of compiled `require`/`ensure` clauses, for contracts and task specs alike."""

    require: list[Clause]
    ensure: list[Clause]
    require_check: Callable[..., int]
    ensure_check: Callable[..., int]

    def violated_require(self, inputs: dict[str, Any]) -> Clause | None:
        """The first `require` clause the (conformed) inputs break, or None."""
        index = self.require_check(inputs)
        return None if index < 0 else self.require[index]

    def violated_ensure(self, inputs: dict[str, Any], result: Any) -> Clause | None:
        """The first `ensure` clause the (conformed) output breaks, or None."""
        index = self.ensure_check(inputs, result)
        return None if index < 0 else self.ensure[index]


@dataclass
class Contract(ClauseChecks):
    name: str
    file: str
    line: int
    description: str
    inputs: dict[str, Type]
    output: Type
    require: list[Clause]
    ensure: list[Clause]
    prompt: str
    system: str | None
    parse: str
    attempts: int
    fallback: Clause
    # Compiled plain-Python forms (see to_python.py). No defaults: a contract without its
    # checkers must not exist, since a permissive stand-in would pass every output.
    require_check: Callable[..., int] = field(repr=False)
    ensure_check: Callable[..., int] = field(repr=False)
    fallback_value: Callable[..., Any] = field(repr=False)
    examples: list[dict[str, Any]] = field(default_factory=list)
    sampling: Sampling = field(default_factory=Sampling)  # the contract's own output budget
    proof: Proof | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}: contract '{self.name}'"

    def fallback_for(self, inputs: dict[str, Any]) -> Any:
        return self.fallback_value(inputs)


class ContractUnavailable(EvoforgeError):
    """A contract was asked for that does not exist or whose fallback is not proven."""


class PreconditionViolation(EvoforgeError):
    """The caller passed inputs that break the contract's `require`: the caller's bug."""
