"""Cancellation requests of the tau2-bench airline tasks as single decisions (`airline-cancellations`).

Each task is one cancellation the decision set derives from the reference outcomes
(decisions.py): the facts the kernel computes from the database for the reservation (`case`)
and what the customer wrote (`request`). The answer is `proceed`, `refuse` or
`transfer_to_human`; it is right when it proceeds exactly where the reference cancelled. The
reason for a cancellation is not a fact here: an agent reads it from the request.

Splits follow the wheel's task split: the decisions of the 20 test tasks are test (held out);
validation is carved from the train tasks' decisions by the seed. The kernel keeps every label;
`reveal` gives a train task's expected answer to the meta agent only.
"""
from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

from evoforge.domains.airline import data
from evoforge.domains.airline.decisions import CANCEL, Decision, derive
from evoforge.domains.base import Score, Task
from evoforge.paths import SPECS_DIR
from evoforge.splits import SPLITS, Split

ANSWERS = ("proceed", "refuse", "transfer_to_human")
CASE_FACTS = ("cabin", "minutes_since_booking", "has_insurance", "any_flown", "airline_cancelled")


@cache
def cancellations() -> tuple[Decision, ...]:
    """The decision set's cancellations, in task order (derived once: it replays 50 tasks)."""
    return tuple(d for d in derive() if d.tool == CANCEL)


class AirlineCancellationsDomain:
    name = "airline-cancellations"
    description = "Cancellation requests from the tau2 airline tasks as single decisions; right when it proceeds exactly where the reference cancelled"
    input_schema = {"case": "dict", "request": "str"}
    answer_contract = "cancellation_decision"  # agents may answer a task with this contract directly

    def __init__(self, seed: int = 0, sizes: dict[str, int] | None = None, validation: int = 4):
        test_ids = set(data.raw_splits()["test"])
        decisions = {f"cancel-{d.task_id}-{d.arguments['reservation_id']}": d for d in cancellations()}
        train = [key for key, d in decisions.items() if d.task_id not in test_ids]
        held = set(random.Random(f"airline-cancellations:{seed}").sample(train, min(validation, len(train))))
        ids: dict[Split, list[str]] = {
            "train": [key for key in train if key not in held],
            "validation": [key for key in train if key in held],
            "test": [key for key, d in decisions.items() if d.task_id in test_ids],
        }
        self._decisions = decisions
        self._tasks = {
            split: [Task(key, split, _inputs(decisions[key])) for key in ids[split][: (sizes or {}).get(split, len(ids[split]))]]
            for split in SPLITS
        }

    def tasks(self, split: Split) -> list[Task]:
        return list(self._tasks[split])

    def contract_files(self) -> list[Path]:
        return [SPECS_DIR / "airline.toml"]

    def reveal(self, task: Task) -> str:
        decision = self._decisions[task.id]
        if decision.allowed:
            return "proceed"
        return "transfer_to_human" if decision.facts["any_flown"] else "refuse"

    def evaluate(self, task: Task, answer: Any) -> Score:
        decision = self._decisions.get(task.id)
        if decision is None:
            return Score(0.0, f"unknown task {task.id!r}")
        if answer not in ANSWERS:
            return Score(0.0, f"the answer must be one of {', '.join(ANSWERS)}, not {str(answer)[:80]!r}")
        proceeds = answer == "proceed"
        counts = {"unsafe": int(proceeds and not decision.allowed)}
        if proceeds == decision.allowed:
            return Score(1.0, "as the reference", counts)
        wanted = "cancelled" if decision.allowed else "refused"
        return Score(0.0, f"the reference {wanted} this reservation; the answer was {answer}", counts)


def _inputs(decision: Decision) -> dict[str, Any]:
    return {"case": {name: decision.facts[name] for name in CASE_FACTS}, "request": decision.request}
