"""The FGGM guard: a rejection sampler around a model call, with a verified fallback.

`guarded_call` returns an output that satisfies the contract's `ensure` whatever the model
says: a model answer that parses and passes every clause, or else the fallback that Z3 proved
correct for every admissible input. It never returns an unchecked value.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from evoforge.contracts.model import Contract, ContractUnavailable, PreconditionViolation
from evoforge.contracts.parsing import OutputParseError, parse_output
from evoforge.contracts.prompt import render
from evoforge.contracts.types import ValueTypeError, conform, to_plain
from evoforge.errors import EvoforgeError
from evoforge.models.base import BudgetExceeded, Message, ModelClient, ModelError

KEPT_TEXT = 2000  # characters of each raw answer kept in the record


@dataclass
class Attempt:
    """One model sample: its text (truncated), and why it was rejected, if it was."""

    text: str
    violation: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0


@dataclass
class CallRecord:
    """Everything a guarded call did, for the archive and the UI."""

    contract: str
    model: str
    attempts: list[Attempt] = field(default_factory=list)
    fallback_used: bool = False
    latency_s: float = 0.0

    @property
    def violations(self) -> list[str]:
        return [a.violation for a in self.attempts if a.violation]

    @property
    def prompt_tokens(self) -> int:
        return sum(a.prompt_tokens for a in self.attempts)

    @property
    def completion_tokens(self) -> int:
        return sum(a.completion_tokens for a in self.attempts)

    @property
    def cost_usd(self) -> float:
        return sum(a.cost_usd for a in self.attempts)

    @property
    def model_latency_s(self) -> float:
        return sum(a.latency_s for a in self.attempts)

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "violations": self.violations,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
        }


@dataclass
class GuardedResult:
    output: Any
    record: CallRecord


class ContractBreach(EvoforgeError):
    """The proven fallback failed its run-time check: a kernel bug, never returned as output."""


def check_inputs(contract: Contract, inputs: dict[str, Any]) -> dict[str, Any]:
    """Conform the inputs to their types and check `require`; a failure is the caller's bug."""
    missing = [n for n in contract.inputs if n not in inputs]
    extra = [n for n in inputs if n not in contract.inputs]
    if missing or extra:
        detail = "; ".join(filter(None, [
            missing and f"missing input(s) {', '.join(missing)}",
            extra and f"unknown input(s) {', '.join(extra)}",
        ]))
        raise PreconditionViolation(f"{contract.where}: {detail} (expects {', '.join(contract.inputs) or 'no inputs'})")
    try:
        values = {n: conform(inputs[n], t, n) for n, t in contract.inputs.items()}
    except ValueTypeError as error:
        raise PreconditionViolation(f"{contract.where}: {error}") from None
    clause = contract.violated_require(values)
    if clause is not None:
        raise PreconditionViolation(f"{contract.where}: inputs break require `{clause.text}` (line {clause.line})")
    return values


def guarded_call(contract: Contract, inputs: dict[str, Any], model: ModelClient) -> GuardedResult:
    """Call `model` under `contract`; see the module docstring for the guarantee.

    Raises `PreconditionViolation` for bad inputs, `ContractUnavailable` for an unproven
    contract and `BudgetExceeded` when the run's budget is spent; any other model failure
    counts as a rejected attempt.
    """
    _require_proven(contract)
    started = time.perf_counter()
    values = check_inputs(contract, inputs)
    record = CallRecord(contract=contract.name, model=model.name)
    messages = [Message("system", contract.system)] if contract.system else []
    messages.append(Message("user", render(contract.prompt, values)))

    for _ in range(contract.attempts):
        output, attempt = _sample(contract, values, model, messages)
        record.attempts.append(attempt)
        if attempt.violation is None:
            record.latency_s = time.perf_counter() - started
            return GuardedResult(output, record)
        messages += [
            Message("assistant", attempt.text),
            Message("user", f"That answer was rejected: {attempt.violation}. Try again, in the same format."),
        ]

    return _fallback(contract, values, record, started)


def guarded_value(contract: Contract, inputs: dict[str, Any], proposed: Any, source: str) -> GuardedResult:
    """`proposed`, a value from code rather than a model (an agent's proposed action), under
    `contract`: returned when it satisfies `ensure`, else the verified fallback. One attempt,
    recorded like a model sample under the model name `source`."""
    _require_proven(contract)
    started = time.perf_counter()
    values = check_inputs(contract, inputs)
    record = CallRecord(contract=contract.name, model=source)
    try:
        output = conform(proposed, contract.output, "proposal")
        clause = contract.violated_ensure(values, output)
        violation = None if clause is None else f"{clause.describe()} (got {_short(to_plain(output))})"
    except ValueTypeError as error:
        output, violation = None, f"the proposal is not a valid {contract.output}: {error}"
    record.attempts.append(Attempt(text=_short(proposed, KEPT_TEXT), violation=violation))
    if violation is None:
        record.latency_s = time.perf_counter() - started
        return GuardedResult(output, record)
    return _fallback(contract, values, record, started)


def _require_proven(contract: Contract) -> None:
    if contract.proof is None or not contract.proof.proven:
        raise ContractUnavailable(f"{contract.where} has no proven fallback and cannot be used")


def _fallback(contract: Contract, values: dict[str, Any], record: CallRecord, started: float) -> GuardedResult:
    fallback = conform(contract.fallback_for(values), contract.output, "fallback")
    if contract.violated_ensure(values, fallback) is not None:
        raise ContractBreach(f"{contract.where}: the proven fallback failed its run-time check for {to_plain(values)}")
    record.fallback_used = True
    record.latency_s = time.perf_counter() - started
    return GuardedResult(fallback, record)


def _sample(contract: Contract, values: dict[str, Any], model: ModelClient, messages: list[Message]) -> tuple[Any, Attempt]:
    try:
        completion = model.complete(list(messages), contract=contract.name, sampling=contract.sampling)
    except BudgetExceeded:
        raise
    except ModelError as error:
        return None, Attempt(text="", violation=f"the model call failed: {error}")
    attempt = Attempt(
        text=completion.text[:KEPT_TEXT], violation=None,
        prompt_tokens=completion.prompt_tokens, completion_tokens=completion.completion_tokens,
        cost_usd=completion.cost_usd, latency_s=completion.latency_s,
    )
    try:
        output = parse_output(completion.text, contract.output, contract.parse)
    except OutputParseError as error:
        attempt.violation = f"the answer could not be read: {error}"
        return None, attempt
    clause = contract.violated_ensure(values, output)
    if clause is not None:
        attempt.violation = f"{clause.describe()} (got {_short(to_plain(output))})"
        return None, attempt
    return output, attempt


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
