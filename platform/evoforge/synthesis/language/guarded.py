"""The kernel-side `Generate`: a program's calls answered by the FGGM guard in this process.

Shaping options (`_prefix`, `_temperature`, contracts/shaping.py) change what the model is
asked, never the contract it is held to. Every call's `CallRecord` is kept, since the learner's
conformance term is built from them.
"""
from __future__ import annotations

from typing import Any

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.shaping import shaped
from evoforge.models.base import ModelClient


class GuardGenerate:
    def __init__(self, specs: SpecSet, model: ModelClient):
        self.specs, self.model = specs, model
        self.records: list[CallRecord] = []

    def __call__(self, contract: str, inputs: dict[str, Any], shaping: dict[str, Any]) -> Any:
        result = guarded_call(shaped(self.specs.get(contract), shaping), inputs, self.model)
        self.records.append(result.record)
        return result.output

    def take_records(self) -> list[CallRecord]:
        records, self.records = self.records, []
        return records
