"""The kernel-side `Generate`: a program's calls answered by the FGGM guard in this process.

Shaping options change what the model is asked, never the contract it is held to:
`_prefix` is put before the contract's prompt, `_temperature` picks the sampling temperature
where the model client can take one (`model_for`). Every call's `CallRecord` is kept, since
the learner's conformance term is built from them.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any, Callable

from evoforge.contracts import SpecSet, guarded_call
from evoforge.contracts.guard import CallRecord
from evoforge.models.base import ModelClient

ModelFor = Callable[[float], ModelClient]


class GuardGenerate:
    def __init__(self, specs: SpecSet, model: ModelClient, *, model_for: ModelFor | None = None):
        self.specs, self.model, self.model_for = specs, model, model_for
        self.records: list[CallRecord] = []

    def __call__(self, contract: str, inputs: dict[str, Any], shaping: dict[str, Any]) -> Any:
        chosen = self.specs.get(contract)
        prefix = shaping.get("_prefix")
        if prefix:
            # Braces are escaped so the prefix is text, never a placeholder.
            chosen = replace(chosen, prompt=prefix.replace("{", "{{").replace("}", "}}") + "\n" + chosen.prompt)
        model = self.model
        temperature = shaping.get("_temperature")
        if temperature is not None and self.model_for is not None:
            model = self.model_for(float(min(max(Fraction(temperature), Fraction(0)), Fraction(2))))
        result = guarded_call(chosen, inputs, model)
        self.records.append(result.record)
        return result.output

    def take_records(self) -> list[CallRecord]:
        records, self.records = self.records, []
        return records


def gateway_temperatures(model: Any) -> ModelFor:
    """`model_for` for a `GatewayModel`: one client per temperature, sharing budget and accounting."""
    from evoforge.models.gateway import GatewayModel  # imports litellm, so only when asked

    made: dict[float, ModelClient] = {}

    def model_for(temperature: float) -> ModelClient:
        if temperature not in made:
            made[temperature] = GatewayModel(
                model.name, settings=model.settings, options=replace(model.options, temperature=temperature),
                budget=model.budget, on_usage=model.on_usage,
            )
        return made[temperature]

    return model_for
