"""`kind = "numeric"`: the answer is a number within a tolerance of the label."""
from __future__ import annotations

import math
from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options, label_field, shown

MAX_DIGITS = 40  # a longer string is not an answer here (and int() of huge strings is slow)


def as_number(answer: Any) -> float | int | None:
    """The answer as a finite number, or None: ints, floats and numeric strings; never bools."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, str) and len(answer.strip()) <= MAX_DIGITS:
        text = answer.strip()
        try:
            answer = int(text) if text.lstrip("+-").isdigit() else float(text)
        except ValueError:
            return None
    if isinstance(answer, int):
        return answer
    if isinstance(answer, float) and math.isfinite(answer):
        return answer
    return None


@evaluator_kind("numeric", "the answer is a number within `tolerance` (absolute) or `relative` of the label")
class NumericMatch:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"label", "tolerance", "relative"})
        self.label = label_field(options, setup, {"int", "real"})
        self.tolerance, self.relative = options.get("tolerance", 0), options.get("relative", 0)
        for key, value in (("tolerance", self.tolerance), ("relative", self.relative)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise OptionError(key, f"{key} {value!r} is not a number >= 0", f"write {key} = 0.01")

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        value = as_number(answer)
        if value is None:
            return Score(0.0, f"answer {shown(answer)} is not a number")
        expected = labels[self.label]
        if abs(value - expected) <= max(self.tolerance, self.relative * abs(expected)):
            return Score(1.0, "correct")
        return Score(0.0, f"wrong: gave {value}")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return [labels[self.label]]
