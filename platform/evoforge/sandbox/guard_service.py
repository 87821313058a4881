"""The kernel service of a run's sandboxes: guarded model calls and the domain's tools.

Agent code asks for `generate(contract, **inputs)`; this service looks the contract up among
the run's proven contracts, runs the FGGM guard against the run's model, and answers with the
contract-satisfying output. Keyword arguments starting with `_` travel as shaping options
(`_prefix`, `_temperature`, `_seed`: contracts/shaping.py), which change the request, never the
contract; any other option is refused. This is the kernel's one `generate` handler: a
sandbox's channel, the in-process adapter of benches and tests (inprocess.py) and a synthesized
program run in this process (synthesis/language/guarded.py) all answer through it.
`call_tool(name, **arguments)` goes to the task's `ToolSession` when the domain has tools;
`score(task_id, answer)` to the `scorer` a meta agent's run is given (the domain's evaluator on
train tasks only). Bad requests get an error reply, never an exception in the kernel. Every
guarded call's record is kept for the archive, and its trace (the model's raw replies, the
violations, whether the fallback answered) goes back with the output: a meta agent reads what
the model said, not only what the guard let through. The model is metered (allowance.py), so
its calls are not charged to a job's kernel time.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Protocol

from evoforge.contracts import ContractUnavailable, PreconditionViolation, SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord, GuardedResult
from evoforge.contracts.shaping import shaped
from evoforge.models.base import BudgetExceeded, ModelClient
from evoforge.sandbox.allowance import metered
from evoforge.sandbox.service import Reply


class Tools(Protocol):
    """What answers `tool` requests: a task's `ToolSession` (domains/base.py), seen from below."""

    def call(self, name: str, arguments: dict[str, Any]) -> Reply: ...


Scorer = Callable[[str, Any], Reply]  # (train task id, answer) -> {"result": {...}} or {"error": ...}
TRACE_TEXT = 600  # characters of each raw reply sent back in a trace


class GuardService:
    """A `KernelService` over the run's proven contracts, model and (optionally) a task's tools."""

    def __init__(self, specs: SpecSet, model: ModelClient, tools: Tools | None = None, scorer: Scorer | None = None):
        self.specs, self.model, self.tools, self.scorer = specs, metered(model), tools, scorer
        self.records: list[CallRecord] = []
        self.budget_exceeded: str | None = None
        self._lock = threading.Lock()

    def call(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> GuardedResult:
        """The guarded call, its record kept; raises what `guarded_call` raises."""
        result = guarded_call(shaped(self.specs.get(contract), options or {}), inputs, self.model)
        with self._lock:
            self.records.append(result.record)
        return result

    def generate(self, contract: str, inputs: dict[str, Any], options: dict[str, Any] | None = None) -> Reply:
        if self.budget_exceeded:
            return {"error": self.budget_exceeded}
        try:
            result = self.call(contract, inputs, options)
        except (ContractUnavailable, PreconditionViolation) as error:
            return {"error": str(error)}
        except BudgetExceeded as error:
            self.budget_exceeded = str(error)
            return {"error": str(error)}
        # Exact: the channel carries reals as fractions, so the agent gets the checked value.
        record = result.record
        trace = {"replies": [a.text[:TRACE_TEXT] for a in record.attempts], "violations": record.violations,
                 "fallback": record.fallback_used}
        return {"output": result.output, "trace": trace}

    def tool(self, name: str, arguments: dict[str, Any]) -> Reply:
        if self.tools is None:
            return {"error": "this domain has no tools"}
        return self.tools.call(name, arguments)

    def score(self, task_id: str, answer: Any) -> Reply:
        if self.scorer is None:
            return {"error": "scoring is offered to a meta agent's run only, on train tasks"}
        return self.scorer(task_id, answer)

    def take_records(self) -> list[CallRecord]:
        """The records of the calls answered so far, handed over once."""
        with self._lock:
            records, self.records = self.records, []
        return records
