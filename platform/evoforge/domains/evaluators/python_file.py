"""`kind = "python"`: the domain's own `evaluator.py` scores each answer, in the kernel.

The file is the domain author's trusted code (like a built-in domain's module) and must define

    def evaluate(answer, labels, inputs):
        return 1.0              # or a bool, or (score, "why") with a score in [0, 1]

It may also define `reference(labels)`, returning an answer that must score 1, so that
`evoforge domains check` can catch an evaluator that marks right answers wrong. It must not run
the answer: an answer that is code belongs to `kind = "unit_tests"`, which runs it in the sandbox.
"""
from __future__ import annotations

from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options
from evoforge.domains.usercode import UserCodeError, load_function

FUNCTION, REFERENCE = "evaluate", "reference"


class BadVerdict(Exception):
    """evaluator.py returned something that is not a score."""


def as_score(verdict: Any) -> Score:
    detail = ""
    if isinstance(verdict, tuple) and len(verdict) == 2 and isinstance(verdict[1], str):
        verdict, detail = verdict
    if isinstance(verdict, bool):
        verdict = float(verdict)
    if not isinstance(verdict, (int, float)) or not 0 <= verdict <= 1:
        raise BadVerdict(f"{FUNCTION}() returned {verdict!r}, not a score in [0, 1] (or a bool, or (score, reason))")
    return Score(float(verdict), detail or ("correct" if verdict >= 1 else "wrong"))


@evaluator_kind("python", "evaluate(answer, labels, inputs) in the folder's evaluator.py (trusted, runs in the kernel)")
class PythonFile:
    uses_sandbox = False

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"file"})
        path = setup.folder / str(options.get("file", "evaluator.py"))
        if not path.is_file():
            raise OptionError("file", f"no file {path}", f"create it with def {FUNCTION}(answer, labels, inputs): ... (see docs/domains.md)")
        try:
            self.function = load_function(path, FUNCTION)
        except UserCodeError as error:
            raise OptionError("file", str(error), f"define {FUNCTION}(answer, labels, inputs) returning a score in [0, 1]") from None
        reference = self.function.__globals__.get(REFERENCE)  # optional, in the same file
        self.reference = reference if callable(reference) else None

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        return as_score(self.function(answer, dict(labels), dict(inputs)))

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return [self.reference(dict(labels))] if self.reference else []
