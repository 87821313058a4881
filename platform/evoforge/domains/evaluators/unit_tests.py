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


# Runs in the evaluation sandbox: the program, then, on a failure, the evaluator's words for the
# meta agent: the error, the failing line and the test assertion that reached it (file "candidate").
CHECKER = """PROGRAM = {program!r}
PASSED, FAILED = 'passed', 'failed: '


def _line(number):
    lines = PROGRAM.splitlines()
    return ' '.join(lines[number - 1].split())[:{line_chars}] if 0 < number <= len(lines) else '?'


def _described(error):
    try:
        message = ' '.join(str(error).split())[:{message_chars}]
    except Exception:
        message = '(unprintable)'
    words = type(error).__name__ + (': ' + message if message else '')
    numbers, trace = [], error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == 'candidate':
            numbers.append(trace.tb_lineno)
        trace = trace.tb_next
    if isinstance(error, SyntaxError) and error.filename == 'candidate':
        numbers.append(error.lineno or 0)
    lines = [_line(number) for number in numbers]
    asserts = [line for line in lines if line.startswith('assert')]
    where = ' at: ' + lines[-1] if lines else ''
    test = '; test: ' + asserts[-1] if asserts and asserts[-1] != lines[-1] else ''
    return words + where + test


def main():
    try:
        exec(compile(PROGRAM, 'candidate', 'exec'), {{'__name__': 'candidate'}})
    except BaseException as error:  # the answer's failure (an exit too): described for the evaluator
        return FAILED + _described(error)
    return PASSED
"""
LINE_CHARS, MESSAGE_CHARS, DETAIL_CHARS = 160, 200, 500  # the evaluator's words stay short


def run_program(sandbox: Any, program: str) -> Score:
    """Run `program` (an answer followed by its tests) in `sandbox`: 1 if it finishes, else 0
    with what failed: the error, the line it came from and the test's assertion, e.g.
    `failed the tests: AssertionError at: assert candidate([1, 2]) == 3` (bounded in length)."""
    from evoforge.sandbox import Job, Limits

    checker = CHECKER.format(program=program, line_chars=LINE_CHARS, message_chars=MESSAGE_CHARS)
    limits = Limits(wall_s=CHECK_WALL_S, cpu_s=CHECK_WALL_S, memory_mb=CHECK_MEMORY_MB)
    outcome = sandbox.run(Job({"check.py": checker}, "check", "main", [[]]), limits, _no_channel).outcome(0)
    if outcome.ok and outcome.value == "passed":
        return Score(1.0, "passed the tests")
    if outcome.ok and isinstance(outcome.value, str) and outcome.value.startswith("failed: "):
        return Score(0.0, f"failed the tests: {outcome.value.removeprefix('failed: ')}"[:DETAIL_CHARS])
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
