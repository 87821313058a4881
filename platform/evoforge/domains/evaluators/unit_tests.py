"""`kind = "unit_tests"`: the answer is Python source, run with the task's tests in the sandbox.

The answer is untrusted code, so it never runs in the kernel: a separate evaluation sandbox
runs it followed by the tests (a label field), and the tests never enter the agent's sandbox.
"""
from __future__ import annotations

from typing import Any

from evoforge.domains.base import Score
from evoforge.domains.evaluators.base import EvaluatorSetup, OptionError, evaluator_kind, known_options, label_field

CHECK_WALL_S, CHECK_MEMORY_MB = 15, 512


def _no_channel(method: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"error": "the evaluation sandbox has no kernel channel"}


def run_program(sandbox: Any, program: str) -> Score:
    """Run `program` (an answer followed by its tests) in `sandbox`: 1 if it finishes, else 0
    with the last line of the error."""
    from evoforge.sandbox import Job, Limits

    checker = f"PROGRAM = {program!r}\n\ndef main():\n    exec(compile(PROGRAM, 'candidate', 'exec'), {{'__name__': 'candidate'}})\n    return 'passed'\n"
    limits = Limits(wall_s=CHECK_WALL_S, cpu_s=CHECK_WALL_S, memory_mb=CHECK_MEMORY_MB)
    outcome = sandbox.run(Job({"check.py": checker}, "check", "main", [[]]), limits, _no_channel).outcome(0)
    if outcome.ok and outcome.value == "passed":
        return Score(1.0, "passed the tests")
    last = (outcome.error or "failed").strip().splitlines()[-1:] or ["failed"]
    return Score(0.0, f"failed the tests: {last[0][:200]}")


@evaluator_kind("unit_tests", "the answer is Python source; the label field's tests run after it in the sandbox")
class UnitTests:
    uses_sandbox = True

    def __init__(self, options: dict[str, Any], setup: EvaluatorSetup):
        known_options(options, {"label", "call"})
        self.label = label_field(options, setup, {"str"})
        self.call = options.get("call", "")  # e.g. "check({entry_point})": formatted with inputs and labels
        if not isinstance(self.call, str):
            raise OptionError("call", "call must be a string", "write call = \"check({entry_point})\"")
        self.sandbox = setup.sandbox

    def score(self, answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> Score:
        if not isinstance(answer, str) or not answer.strip():
            return Score(0.0, "the answer is not Python source")
        call = self.call.format(**inputs, **labels) if self.call else ""
        return run_program(self.sandbox(), f"{answer}\n\n{labels[self.label]}\n\n{call}\n")

    def references(self, labels: dict[str, Any]) -> list[Any]:
        return []
