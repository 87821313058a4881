"""The domain's evaluator, offered to a meta agent for train tasks only (the channel's `score`).

A meta agent tests each edit on train inside its sandbox, scored exactly as the kernel will
score the child, whatever the domain's evaluator is (exact, numeric, unit tests). Validation
and test stay closed: their task ids are refused. Requests per meta run are bounded, so a
hostile meta agent cannot spend the kernel's time on scoring.
"""
from __future__ import annotations

import threading
from typing import Any

from evoforge.domains import Domain, ToolDomain
from evoforge.evolution.evaluation import score_answer
from evoforge.sandbox.service import Reply

MAX_SCORES = 2000  # per meta run: ~100 edits tested on 20 train tasks


class TrainScorer:
    def __init__(self, domain: Domain, limit: int = MAX_SCORES):
        self.domain, self.limit = domain, limit
        self.train = {task.id: task for task in domain.tasks("train")}
        self.used = 0
        self._lock = threading.Lock()

    def __call__(self, task_id: str, answer: Any) -> Reply:
        task = self.train.get(task_id)
        if task is None:
            return {"error": f"no train task {task_id[:80]!r}: a meta agent may score train tasks only"}
        if isinstance(self.domain, ToolDomain):
            return {"error": f"domain {self.domain.name} scores whole tool episodes, not single answers"}
        with self._lock:
            if self.used >= self.limit:
                return {"error": f"this meta run has used its {self.limit} score requests"}
            self.used += 1
        verdict = score_answer(self.domain, task, answer)
        return {"result": {"score": verdict.value, "detail": verdict.detail or "correct"}}
