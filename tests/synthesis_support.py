"""A small spec for synthesis tests: contracts a program calls and task specifications."""
from __future__ import annotations

from pathlib import Path

from evoforge.contracts import SpecSet, load_specs
from evoforge.contracts.tasks import TaskSet, load_tasks

SPEC = '''
[types.Reading]
value = "int"
note = "str"

[contracts.guess]
description = "Any non-negative integer for n (a model's guess)."
inputs = { n = "int" }
output = "int"
require = ["0 <= n <= 100"]
ensure = ["result >= 0"]
prompt = "Give a number for {n}. Reply with JSON only: {{\\"result\\": <number>}}"
attempts = 2
fallback = "n"

[contracts.near]
description = "An integer within 3 of n."
inputs = { n = "int" }
output = "int"
require = ["0 <= n <= 100"]
ensure = ["abs(result - n) <= 3"]
prompt = "Give a number close to {n}. Reply with JSON only: {{\\"result\\": <number>}}"
attempts = 2
fallback = "n"

[contracts.read_ratio]
description = "A reading between low and high, with a short note."
inputs = { text = "str", low = "int", high = "int" }
output = "Reading"
require = ["low <= high", "len(text) <= 200"]
ensure = ["low <= result.value <= high", "len(result.note) <= 20"]
prompt = "Read a number from: {text}. Reply with JSON: {{\\"value\\": <int>, \\"note\\": \\"<short>\\"}}"
attempts = 2
fallback = """{"value": low, "note": ""}"""

[tasks.bounded_guess]
description = "A non-negative integer at most twice n."
inputs = { n = "int" }
result = "int"
require = ["0 <= n <= 100"]
ensure = ["result >= 0", "result <= 2 * n"]
fallback = "n"
contracts = ["guess", "near"]

[tasks.near_plus]
description = "A value within 10 of n."
inputs = { n = "int" }
result = "int"
require = ["0 <= n <= 100"]
ensure = ["abs(result - n) <= 10"]
fallback = "n"

[tasks.reading]
description = "A reading of the text between 0 and 50."
inputs = { text = "str" }
result = "int"
require = ["len(text) <= 200"]
ensure = ["0 <= result <= 50"]
fallback = "0"
contracts = ["read_ratio"]
'''

# Proven for every margin and style: the margin is bounded, the style only shapes the prompt.
CLAMPED = '''
margin = param_int(0, 7)
style = param_choice("Be exact.", "Answer quickly.")
def solve(n):
    x = call("near", n=n, _prefix=style)
    if x > n + margin:
        return n + margin
    return x
'''

# A loop over a bounded parameter: proven for rounds <= 3 (three calls add at most 9), not for 4.
LOOP = '''
rounds = param_int(1, {high})
def solve(n):
    total = 0
    for i in range(rounds):
        x = call("near", n=n)
        total = total + x - n
    if total >= 0:
        return n + total
    return n - 1
'''


def write_spec(folder: Path, text: str = SPEC) -> Path:
    path = folder / "synth.toml"
    path.write_text(text)
    return path


def load(folder: Path, text: str = SPEC) -> tuple[SpecSet, TaskSet]:
    path = write_spec(folder, text)
    specs, tasks = load_specs([path]), load_tasks([path])
    assert specs.all_proven and not tasks.problems, (specs.problems, tasks.problems)
    return specs, tasks


class CountingDomain:
    """Tasks `{"n": k}` whose label is `n + offset`: enough to score synthesized programs."""

    name = "counting"
    description = "answer n + offset"

    def __init__(self, offset: int = 4, sizes: tuple[int, int, int] = (4, 4, 6)):
        from evoforge.domains.base import Task

        self.offset = offset
        starts = {"train": 10, "validation": 40, "test": 70}
        self._tasks = {
            split: [Task(f"{split}-{i}", split, {"n": starts[split] + 3 * i}) for i in range(size)]
            for split, size in zip(("train", "validation", "test"), sizes)
        }

    def tasks(self, split):
        return list(self._tasks[split])

    def evaluate(self, task, answer):
        from evoforge.domains.base import Score

        expected = task.inputs["n"] + self.offset
        return Score(1.0 if answer == expected else 0.0, "correct" if answer == expected else f"gave {answer!r}")

    def contract_files(self):
        return []


def echo_plus(delta: int):
    """A scripted model's reply function: the first number of the prompt, plus `delta`, as JSON."""
    import json
    import re

    def respond(messages):
        number = int(re.findall(r"-?\d+", messages[-1].content)[0])
        return json.dumps({"result": number + delta})

    return respond
