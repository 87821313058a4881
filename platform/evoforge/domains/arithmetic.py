"""Arithmetic word problems, generated reproducibly from a seed and checked exactly.

Each problem combines two or three small integers through one of several story templates.
The label (the exact integer answer) stays in the kernel; agents see only the question.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from evoforge.domains.base import Score, Task, register_domain
from evoforge.splits import SPLITS, Split
from evoforge.paths import SPECS_DIR


@dataclass(frozen=True)
class _Template:
    text: str
    answer: Callable[[int, int, int], int]


TEMPLATES = [
    _Template("Tom has {a} apples and buys {b} more. How many apples does he have?", lambda a, b, c: a + b),
    _Template("A shelf holds {a} books. {b} are taken away. How many books are left?", lambda a, b, c: a - b),
    _Template("There are {a} boxes with {b} pens in each. How many pens are there?", lambda a, b, c: a * b),
    _Template("Ana saves {a} coins a day for {b} days, then spends {c}. How many coins are left?", lambda a, b, c: a * b - c),
    _Template("A bus has {a} riders. {b} get off and {c} get on. How many riders are on the bus?", lambda a, b, c: a - b + c),
    _Template("A farm has {a} hens and {b} ducks. Each bird lays {c} eggs. How many eggs in all?", lambda a, b, c: (a + b) * c),
]


@register_domain("arithmetic", "arithmetic word problems generated from a seed, answers checked exactly")
class ArithmeticDomain:
    name = "arithmetic"
    input_schema = {"question": "str"}
    description = "Integer word problems; the answer must equal the exact result."

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None):
        self.seed = seed
        self.sizes = {"train": 12, "validation": 12, "test": 24, **(sizes or {})}
        self._tasks: dict[Split, list[Task]] = {}
        self._labels: dict[str, int] = {}
        rng = random.Random(f"arithmetic:{seed}")
        for split in SPLITS:
            self._tasks[split] = [self._make(rng, split, i) for i in range(self.sizes[split])]

    def _make(self, rng: random.Random, split: Split, index: int) -> Task:
        template = rng.choice(TEMPLATES)
        a, b, c = rng.randint(2, 30), rng.randint(2, 12), rng.randint(1, 9)
        if "taken away" in template.text or "get off" in template.text:
            a = max(a, b + 1)  # keep counts of things non-negative
        task = Task(id=f"arith-{split}-{index}", split=split, inputs={"question": template.text.format(a=a, b=b, c=c)})
        self._labels[task.id] = template.answer(a, b, c)
        return task

    def tasks(self, split: Split) -> list[Task]:
        return list(self._tasks[split])

    def evaluate(self, task: Task, answer: Any) -> Score:
        expected = self._labels[task.id]
        value = _as_int(answer)
        if value is None:
            return Score(0.0, f"answer {str(answer)[:60]!r} is not an integer")
        return Score(1.0 if value == expected else 0.0, "correct" if value == expected else f"wrong: gave {value}")

    def reveal(self, task: Task) -> int:
        return self._labels[task.id]

    def contract_files(self) -> list[Path]:
        return [SPECS_DIR / "arithmetic.toml"]


def _as_int(answer: Any) -> int | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int):
        return answer
    if isinstance(answer, float) and answer.is_integer():
        return int(answer)
    if isinstance(answer, str):
        text = answer.strip()
        if text.lstrip("-").isdigit() and len(text) <= 30:  # longer digit strings are no answer here
            return int(text)
    return None
