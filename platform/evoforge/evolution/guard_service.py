"""The kernel side of the sandbox channel: answers `generate` requests with guarded calls.

Agent code in a sandbox asks for `generate(contract, **inputs)`; this service looks the
contract up among the run's proven contracts, runs the FGGM guard against the run's model,
and answers with the contract-satisfying output. Bad requests get an error reply, never an
exception in the kernel. Every call's record is kept for the archive.
"""
from __future__ import annotations

import threading
from typing import Any

from evoforge.contracts import ContractUnavailable, PreconditionViolation, SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.types import to_plain
from evoforge.models.base import BudgetExceeded, ModelClient


class GuardService:
    def __init__(self, specs: SpecSet, model: ModelClient):
        self.specs, self.model = specs, model
        self.records: list[CallRecord] = []
        self.budget_exceeded: str | None = None
        self._lock = threading.Lock()

    def __call__(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method != "generate":
            return {"error": f"unknown method {method!r}; the channel offers: generate"}
        name, inputs = params.get("contract"), params.get("inputs")
        if not isinstance(name, str) or not isinstance(inputs, dict):
            return {"error": "generate needs {'contract': NAME, 'inputs': {...}}"}
        if self.budget_exceeded:
            return {"error": self.budget_exceeded}
        try:
            result = guarded_call(self.specs.get(name), inputs, self.model)
        except (ContractUnavailable, PreconditionViolation) as error:
            return {"error": str(error)}
        except BudgetExceeded as error:
            self.budget_exceeded = str(error)
            return {"error": str(error)}
        with self._lock:
            self.records.append(result.record)
        return {"output": to_plain(result.output)}

    def take_records(self) -> list[CallRecord]:
        """The records gathered since the last call, for the archive."""
        with self._lock:
            records, self.records = self.records, []
        return records
