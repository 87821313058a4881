"""`kind = "exact"`: the answer must equal the label (a text answer may also equal its text form)."""
from __future__ import annotations

import json
from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, evaluator_kind, known_options, label_field, shown


def _text_form(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@evaluator_kind("exact", "the answer equals the label (\"7\" also equals 7)")
class ExactMatch:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"label"})
        self.label = label_field(options, setup)

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        expected = labels[self.label]
        same = type(answer) is type(expected) and answer == expected
        if not same and isinstance(answer, str) and len(answer) <= 10_000:
            same = answer.strip() == _text_form(expected)
        return Score(1.0, "correct") if same else Score(0.0, f"wrong: gave {shown(answer)}")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return [labels[self.label]]
