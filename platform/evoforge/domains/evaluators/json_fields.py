"""`kind = "json_fields"`: the answer is a JSON object whose named fields equal the labels."""
from __future__ import annotations

import json
from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options, shown

MAX_CHARS = 100_000


@evaluator_kind("json_fields", "the answer is an object whose `fields` equal the label fields (all, or a share with partial = true)")
class JsonFields:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"fields", "partial"})
        self.fields = options.get("fields", sorted(setup.labels))
        if not isinstance(self.fields, list) or not self.fields or not all(f in setup.labels for f in self.fields):
            raise OptionError("fields", f"fields {self.fields!r} must be a list of [labels] fields",
                              f"write fields = {json.dumps(sorted(setup.labels))}")
        self.partial = options.get("partial", False)
        if not isinstance(self.partial, bool):
            raise OptionError("partial", "partial must be true or false", "write partial = true to give a share of the fields")

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        if isinstance(answer, str) and len(answer) <= MAX_CHARS:
            try:
                answer = json.loads(answer)
            except json.JSONDecodeError:
                return Score(0.0, f"answer {shown(answer)} is not JSON")
        if not isinstance(answer, dict):
            return Score(0.0, f"answer {shown(answer)} is not a JSON object")
        wrong = [f for f in self.fields if f not in answer or answer[f] != labels[f] or isinstance(answer[f], bool) != isinstance(labels[f], bool)]
        share = 1 - len(wrong) / len(self.fields)
        value = share if self.partial else float(not wrong)
        return Score(value, "correct" if not wrong else f"wrong or missing field(s): {', '.join(wrong)}")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return [{f: labels[f] for f in self.fields}]
