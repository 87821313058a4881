"""One budget for a run across every node: a Ray actor holds the run's `Budget`.

Each model call on a worker reserves with the actor before it is sent and reports what it spent
after, so the limits hold for all workers together: calls are never exceeded, tokens and cost by
at most what the calls already in flight use (the same promise as `Budget` on one machine).
"""
from __future__ import annotations

import threading
from typing import Any

import ray

from evoforge.models.base import BudgetExceeded
from evoforge.models.budget import Budget


@ray.remote(num_cpus=0)
class BudgetLedger:
    """The run's budget, on the cluster. Calls run one at a time (an actor's default)."""

    def __init__(self, limits: tuple[float | None, int | None, int | None], used: tuple[int, int, float]):
        self.budget = Budget(*limits)
        self.add(*used)

    def reserve(self) -> str | None:
        """None when a call may go; else why not (raised on the caller's side, not here)."""
        try:
            self.budget.reserve()
        except BudgetExceeded as refusal:
            return str(refusal)
        return None

    def spend(self, tokens: int, cost_usd: float) -> None:
        self.budget.spend(tokens, cost_usd)

    def add(self, calls: int, tokens: int, cost_usd: float) -> None:
        """Calls made elsewhere (the driver's own: the seed's evaluation)."""
        self.budget.calls += calls
        self.budget.spend(tokens, cost_usd)

    def used(self) -> tuple[int, int, float]:
        return self.budget.calls, self.budget.tokens, self.budget.cost_usd


class RemoteBudget:
    """What a worker's model client holds in place of a `Budget`: the same two methods, answered
    by the run's ledger."""

    def __init__(self, ledger: Any):
        self.ledger = ledger

    def reserve(self) -> None:
        refusal = ray.get(self.ledger.reserve.remote())
        if refusal is not None:
            raise BudgetExceeded(refusal)

    def spend(self, tokens: int, cost_usd: float) -> None:
        ray.get(self.ledger.spend.remote(tokens, cost_usd))


class DriverSpending:
    """Forwards the driver's own calls (counted by its local `Budget`) to the ledger, so that
    workers see them too. The driver calls models only outside children (the seed), so pushing
    the difference before each child is enough."""

    def __init__(self, budget: Budget, ledger: Any):
        self.budget, self.ledger = budget, ledger
        self.pushed = self._now()
        self._lock = threading.Lock()  # children start from several threads

    def _now(self) -> tuple[int, int, float]:
        return self.budget.calls, self.budget.tokens, self.budget.cost_usd

    def push(self) -> None:
        with self._lock:
            now = self._now()
            delta = tuple(n - p for n, p in zip(now, self.pushed))
            if any(delta):
                ray.get(self.ledger.add.remote(*delta))
                self.pushed = now
