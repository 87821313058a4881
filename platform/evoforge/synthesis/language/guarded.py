"""The kernel-side `Generate`: a program's calls answered in this process by the kernel's own
`generate` handler (`GuardService`, the one a sandbox's channel uses), raising what it refuses.

Shaping options (`_prefix`, `_temperature`, `_seed`, contracts/shaping.py) change what the model
is asked, never the contract it is held to. Every call's `CallRecord` is kept, since the
learner's conformance term is built from them.
"""
from __future__ import annotations

from typing import Any

from evoforge.contracts import SpecSet
from evoforge.contracts.guard import CallRecord
from evoforge.models.base import ModelClient
from evoforge.sandbox.guard_service import GuardService


class GuardGenerate:
    def __init__(self, specs: SpecSet, model: ModelClient):
        self.service = GuardService(specs, model)

    def __call__(self, contract: str, inputs: dict[str, Any], shaping: dict[str, Any]) -> Any:
        return self.service.call(contract, inputs, shaping).output

    def take_records(self) -> list[CallRecord]:
        return self.service.take_records()
